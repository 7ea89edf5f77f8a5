import { resolve } from 'node:path';
import type { DocumentInfo, IngestFileResult } from '../../core/shared/types';
import { CliUsageError } from '../CliUsageError';
import { openEnclave, parseCommandArgs } from '../options';

const usage = `Usage: enclave ingest PATH... [--collection NAME] [--json] [--data-dir DIR]

Adds files, or folders (walked for .pdf, .docx, .md, .txt, .html, .csv), to the document library,
waits until each one is parsed and chunked, and prints one line per file: ready, duplicate (the same
content is already in the collection), failed or refused, with the reason. The collection is created
if it does not exist (default "Default"). With --json prints the results as a JSON array.
Exit code 0 when every file is ready or a duplicate, 1 otherwise.`;

export async function ingestCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { 'data-dir': { type: 'string' }, collection: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  if (!positionals.length) throw new CliUsageError('give at least one file or folder', usage);
  const enclave = openEnclave(values['data-dir']);
  try {
    const results = await enclave.documents.ingestFiles({
      // The core takes absolute paths only; the command line's are relative to the working folder.
      paths: positionals.map((path) => resolve(path)),
      collection: values.collection
    });
    const ids = results.flatMap((result) => (result.document && !result.duplicate ? [result.document.id] : []));
    const settled = new Map((await enclave.documents.waitUntilSettled(ids)).map((doc) => [doc.id, doc]));
    const final = results.map((result) => ({
      ...result,
      document: result.document && (settled.get(result.document.id) ?? result.document)
    }));
    if (values.json) io.stdout.write(`${JSON.stringify(final, null, 2)}\n`);
    else {
      if (!final.length) io.stderr.write('No documents found to ingest.\n');
      for (const result of final) io.stdout.write(`${describe(result)}\n`);
    }
    return final.every((result) => result.duplicate || result.document?.status === 'ready') ? 0 : 1;
  } finally {
    await enclave.dispose();
  }
}

function describe(result: IngestFileResult): string {
  const doc = result.document;
  if (!doc) return `refused    ${result.error}`;
  if (result.duplicate) return `duplicate  ${result.source} (already in "${doc.collection}" as ${doc.id})`;
  if (doc.status === 'failed') return `failed     ${result.source}: ${doc.error}`;
  return `${doc.status.padEnd(10)} ${result.source} → ${doc.id} (${details(doc)})`;
}

function details(doc: DocumentInfo): string {
  const chunks = `${doc.chunkCount} chunk${doc.chunkCount === 1 ? '' : 's'}`;
  return doc.pages === null ? chunks : `${doc.pages} page${doc.pages === 1 ? '' : 's'}, ${chunks}`;
}
