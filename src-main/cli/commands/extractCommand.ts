import { readFile } from 'node:fs/promises';
import { findDocument } from '../../core/documents/findDocument';
import { DocumentTaskCancelledError } from '../../core/documents/tools/documentToolErrors';
import { CliUsageError } from '../CliUsageError';
import { documentModelUsage, prepareDocumentModel } from '../documentModelFlag';
import { coreFlags, openEnclave, parseCommandArgs } from '../options';
import { runDocumentTask } from '../runDocumentTask';

const usage = `Usage: enclave extract DOC_ID|NAME --schema FILE.json [--model local|PATH|ID] [--json]
                      [--data-dir DIR] [--threads N] [--gpu-layers auto|N] [--context-size N]

Fills in the fields a JSON schema describes from a document you added (by its id or file name), with
the local model: its output is constrained to the schema, so it is valid JSON of that shape. The JSON
goes to stdout, progress to stderr; Ctrl+C cancels (exit 130). A document longer than one call reads
is cut to its beginning (said on stderr). --json prints {"documentId", "documentName", "data", "model",
"truncated"} instead of the data alone.
${documentModelUsage}`;

export async function extractCommand(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...coreFlags, schema: { type: 'string' }, json: { type: 'boolean' } }, usage);
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliUsageError('one DOC_ID or NAME is required', usage);
  if (!values.schema) throw new CliUsageError('--schema FILE.json is required', usage);
  const schema = await readSchema(values.schema, usage);
  const enclave = openEnclave(values['data-dir']);
  try {
    const document = findDocument(enclave.documents, positionals[0]!);
    const model = await prepareDocumentModel(enclave, values, usage);
    const extraction = await runDocumentTask(enclave, io.stderr, (task) =>
      enclave.documentTools.extract(document.id, schema, { ...task, model })
    );
    if (extraction.truncated) io.stderr.write(`"${extraction.documentName}" is longer than one call reads: only its beginning was used.\n`);
    io.stdout.write(`${JSON.stringify(values.json ? extraction : extraction.data, null, values.json ? undefined : 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DocumentTaskCancelledError)) throw error;
    io.stderr.write('enclave extract: cancelled\n');
    return 130;
  } finally {
    await enclave.dispose();
  }
}

async function readSchema(file: string, usage: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`--schema ${file} cannot be read: ${(error as Error).message}`, usage);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--schema ${file} is not JSON: ${(error as Error).message}`, usage);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    throw new CliUsageError(`--schema ${file} must hold a JSON schema object`, usage);
  return schema as Record<string, unknown>;
}
