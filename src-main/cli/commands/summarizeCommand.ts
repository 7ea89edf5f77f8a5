import { findDocument } from '../../core/documents/findDocument';
import { DocumentTaskCancelledError } from '../../core/documents/tools/documentToolErrors';
import { CliUsageError } from '../CliUsageError';
import { documentModelUsage, prepareDocumentModel } from '../documentModelFlag';
import { coreFlags, openEnclave, parseCommandArgs } from '../options';
import { runDocumentTask } from '../runDocumentTask';

const usage = `Usage: enclave summarize DOC_ID|NAME [--model local|auto|PROVIDER/MODEL|PATH|ID] [--json]
                        [--data-dir DIR] [--threads N] [--gpu-layers auto|N] [--context-size N]

Summarizes a document you added (by its id or file name): in one call when it fits the model's
context, else part by part and then the parts' summaries together. The summary goes to stdout,
progress to stderr; Ctrl+C cancels (exit 130). --json prints {"documentId", "documentName",
"summary", "model", "calls", "passes"}.
${documentModelUsage}`;

export async function summarizeCommand(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...coreFlags, json: { type: 'boolean' } }, usage);
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliUsageError('one DOC_ID or NAME is required', usage);
  const enclave = openEnclave(values['data-dir']);
  try {
    const document = findDocument(enclave.documents, positionals[0]!);
    const model = await prepareDocumentModel(enclave, values, usage);
    const summary = await runDocumentTask(enclave, io.stderr, (task) => enclave.documentTools.summarize(document.id, { ...task, model }));
    io.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `${summary.summary}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DocumentTaskCancelledError)) throw error;
    io.stderr.write('enclave summarize: cancelled\n');
    return 130;
  } finally {
    await enclave.dispose();
  }
}
