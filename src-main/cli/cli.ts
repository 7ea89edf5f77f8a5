// The `enclave` command. Runs under plain Node: nothing here may import electron.
import { EnclaveError } from '../core/EnclaveError';
import { CliUsageError } from './CliUsageError';
import { askCommand } from './commands/askCommand';
import { chatCommand } from './commands/chatCommand';
import { compareCommand } from './commands/compareCommand';
import { extractCommand } from './commands/extractCommand';
import { modelsCommand } from './commands/modelsCommand';
import { ingestCommand } from './commands/ingestCommand';
import { providerCommand } from './commands/providerCommand';
import { redactCommand } from './commands/redactCommand';
import { searchCommand } from './commands/searchCommand';
import { serveCommand } from './commands/serveCommand';
import { statsCommand } from './commands/statsCommand';
import { summarizeCommand } from './commands/summarizeCommand';
import { tuneCommand } from './commands/tuneCommand';

const commands: Record<string, (argv: string[], io: typeof stdio) => Promise<number>> = {
  chat: chatCommand,
  ingest: ingestCommand,
  redact: redactCommand,
  search: searchCommand,
  ask: askCommand,
  summarize: summarizeCommand,
  extract: extractCommand,
  compare: compareCommand,
  tune: tuneCommand,
  serve: serveCommand,
  provider: providerCommand,
  models: modelsCommand,
  stats: statsCommand
};

const stdio = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

const overview = `Usage: enclave <command> [options]

Commands:
  chat      Ask a local model; the reply streams to stdout and is saved as a conversation
  ingest    Add files or folders (PDF, DOCX, Markdown, text, HTML, CSV) to the document library
  redact    Replace personal data in text from stdin with placeholders (offline)
  search    Search the documents you added; the best passages first
  ask       Answer a question from your documents, citing the passages (document, page)
  summarize Summarize a document (map-reduce when it is long)
  extract   Fill in a JSON schema's fields from a document (local model, valid JSON)
  compare   Compare two documents
  tune      Find the fastest thread count for a model on this machine
  serve     Run the core headless and serve the local OpenAI-compatible API
  models    Download (resumable), list, import and remove GGUF model files
  provider  Add cloud providers, store their keys in the OS keychain, test and remove them
  stats     Usage, cost, savings and privacy figures (--json for all of them)

Run "enclave <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    stdio.stdout.write(`${overview}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    stdio.stderr.write(`enclave: unknown command "${name}"\n\n${overview}\n`);
    return 2;
  }
  try {
    return await command(rest, stdio);
  } catch (error) {
    if (error instanceof CliUsageError) {
      stdio.stderr.write(`enclave ${name}: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    if (error instanceof EnclaveError) {
      stdio.stderr.write(`enclave ${name}: ${error.message}\n`);
      return 1;
    }
    stdio.stderr.write(`enclave ${name}: unexpected error: ${(error as Error)?.stack ?? error}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
