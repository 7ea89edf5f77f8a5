import { findDocument } from '../../core/documents/findDocument';
import { DocumentTaskCancelledError } from '../../core/documents/tools/documentToolErrors';
import { CliUsageError } from '../CliUsageError';
import { documentModelUsage, prepareDocumentModel } from '../documentModelFlag';
import { coreFlags, openEnclave, parseCommandArgs } from '../options';
import { runDocumentTask } from '../runDocumentTask';

const usage = `Usage: enclave compare DOC_A DOC_B [--model local|auto|PROVIDER/MODEL|PATH|ID] [--json]
                      [--data-dir DIR] [--threads N] [--gpu-layers auto|N] [--context-size N]

Compares two documents you added (ids or file names): what they share, where they differ, what is
in one only, in Markdown on stdout. A document too long for half the model's context is summarized
first; progress goes to stderr, Ctrl+C cancels (exit 130). --json prints {"documentIds",
"documentNames", "comparison", "model"}.
${documentModelUsage}`;

export async function compareCommand(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...coreFlags, json: { type: 'boolean' } }, usage);
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 2) throw new CliUsageError('two documents (DOC_A DOC_B) are required', usage);
  const enclave = openEnclave(values['data-dir']);
  try {
    const [a, b] = positionals.map((doc) => findDocument(enclave.documents, doc).id) as [string, string];
    const model = await prepareDocumentModel(enclave, values, usage);
    const comparison = await runDocumentTask(enclave, io.stderr, (task) => enclave.documentTools.compare(a, b, { ...task, model }));
    io.stdout.write(values.json ? `${JSON.stringify(comparison)}\n` : `${comparison.comparison}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DocumentTaskCancelledError)) throw error;
    io.stderr.write('enclave compare: cancelled\n');
    return 130;
  } finally {
    await enclave.dispose();
  }
}
