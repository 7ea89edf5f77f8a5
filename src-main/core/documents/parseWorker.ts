// Entry of the document parse worker (a worker thread, bundled as out/main/documentParser.js): reads one
// stored file, parses and chunks it, and posts the chunks back. Everything a hostile file can make
// expensive happens here, where the host's time limit and heap limit can stop it.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { chunkDocument } from './chunking/chunkDocument';
import { DocumentParseError } from './errors';
import { parseDocument } from './parsers/parseDocument';
import type { ParseJob, WorkerMessage } from './runParseWorker';

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

async function run(job: ParseJob): Promise<void> {
  const bytes = new Uint8Array(await readFile(job.path));
  const parsed = await parseDocument(bytes, job.format, job.limits, (fraction) => post({ type: 'progress', fraction }));
  const { chunks } = chunkDocument(parsed, job.chunking);
  post({ type: 'done', pages: parsed.pages, chunks });
}

run(workerData as ParseJob).catch((error: unknown) => {
  if (error instanceof DocumentParseError) post({ type: 'failed', reason: error.reason, message: error.message });
  else if (error instanceof RangeError && /call stack/i.test(error.message))
    post({ type: 'failed', reason: 'too-complex', message: 'The document is nested too deeply to read.' });
  else
    post({ type: 'failed', reason: 'corrupt', message: `The document could not be read: ${(error as Error)?.message ?? String(error)}` });
});
