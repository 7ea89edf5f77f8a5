import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DownloadHttpError, DownloadInterruptedError, InsecureDownloadUrlError } from './errors';
import { assertDownloadUrl } from './resolveDownloadSource';

export interface FetchToPartialFileOptions {
  url: string;
  /** The partial file: appended to when the server honours the Range request, rewritten when it does not. */
  partPath: string;
  signal: AbortSignal;
  /** The validator of the bytes already in partPath (ETag or Last-Modified): a changed file starts over. */
  validator: string | null;
  /** Called once the size is known and before any byte is written (the free-disk check); throwing stops the download. */
  beforeWrite(info: { totalBytes: number | null; offset: number; validator: string | null }): Promise<void>;
  onBytes(receivedBytes: number): void;
  headers?: Record<string, string>;
  /** A connection that sends nothing for this long counts as cut. */
  idleTimeoutMs?: number;
  maxRedirects?: number;
}

export interface FetchedFile {
  totalBytes: number;
  validator: string | null;
  /** The sha256 the server published (Hugging Face's X-Linked-Etag for LFS files), if it did. */
  publishedSha256: string | null;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_REDIRECTS = 5;

/**
 * Downloads `url` into `partPath`, continuing from the bytes already there with an HTTP Range
 * request (If-Range guards against a changed file). A cut connection rejects with
 * DownloadInterruptedError and leaves the partial file for the next attempt; an abort rejects with
 * the signal's reason and leaves it too.
 */
export async function fetchToPartialFile(options: FetchToPartialFileOptions): Promise<FetchedFile> {
  const offset = await sizeOf(options.partPath);
  const { response, publishedSha256 } = await get(options, offset);
  const validator = validatorOf(response);
  let start = offset;
  let totalBytes: number | null;
  if (response.statusCode === 206) {
    const range = parseContentRange(response.headers['content-range']);
    if (!range || range.start !== offset) {
      response.destroy();
      throw new DownloadInterruptedError(options.url, offset, new Error('the server answered a different range than asked for'));
    }
    totalBytes = range.total;
  } else if (response.statusCode === 416 && offset > 0) {
    response.resume();
    const total = parseUnsatisfiedRange(response.headers['content-range']);
    if (total === offset) return { totalBytes: total, validator: options.validator, publishedSha256 };
    // The partial file does not belong to what the server has now: start over.
    await rm(options.partPath, { force: true });
    return fetchToPartialFile({ ...options, validator: null });
  } else if (response.statusCode === 200) {
    // No Range support, or If-Range found the file changed: the body is the whole file.
    start = 0;
    totalBytes = contentLength(response);
  } else {
    response.resume();
    throw new DownloadHttpError(options.url, response.statusCode ?? 0, response.statusMessage ?? '');
  }
  try {
    await options.beforeWrite({ totalBytes, offset: start, validator });
  } catch (error) {
    response.destroy();
    throw error;
  }
  let received = start;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      options.onBytes(received);
      callback(null, chunk);
    }
  });
  response.setTimeout(options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () =>
    response.destroy(new Error(`no data for ${Math.round((options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) / 1000)} s`))
  );
  try {
    await pipeline(response, counter, createWriteStream(options.partPath, { flags: start > 0 ? 'a' : 'w' }), { signal: options.signal });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw new DownloadInterruptedError(options.url, received, error);
  }
  if (totalBytes !== null && received < totalBytes)
    throw new DownloadInterruptedError(
      options.url,
      received,
      new Error(`the server closed the file after ${received} of ${totalBytes} bytes`)
    );
  return { totalBytes: totalBytes ?? received, validator, publishedSha256 };
}

/** Sends the GET, following redirects (each hop checked like the first URL). */
async function get(
  options: FetchToPartialFileOptions,
  offset: number
): Promise<{ response: IncomingMessage; publishedSha256: string | null }> {
  let url = new URL(options.url);
  let publishedSha256: string | null = null;
  for (let hop = 0; ; hop++) {
    assertDownloadUrl(url);
    const headers: Record<string, string> = { 'user-agent': 'Enclave', 'accept-encoding': 'identity', ...options.headers };
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (options.validator) headers['if-range'] = options.validator;
    }
    const response = await send(url, headers, options.signal, offset, options.url);
    const status = response.statusCode ?? 0;
    publishedSha256 ??= sha256Header(response);
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hop >= (options.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) throw new DownloadHttpError(options.url, status, 'too many redirects');
      url = new URL(response.headers.location, url);
      continue;
    }
    return { response, publishedSha256 };
  }
}

/** Hugging Face sends an LFS file's sha256 as X-Linked-Etag (on the redirect to its CDN). */
function sha256Header(response: IncomingMessage): string | null {
  const value = response.headers['x-linked-etag'];
  const match = typeof value === 'string' ? /^"?([0-9a-f]{64})"?$/i.exec(value.trim()) : null;
  return match ? match[1]!.toLowerCase() : null;
}

function send(url: URL, headers: Record<string, string>, signal: AbortSignal, offset: number, original: string): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
  if (!request) return Promise.reject(new InsecureDownloadUrlError(url.toString()));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, signal }, resolve);
    req.on('error', (error) => reject(signal.aborted ? signal.reason : new DownloadInterruptedError(original, offset, error)));
    req.end();
  });
}

function validatorOf(response: IncomingMessage): string | null {
  const etag = response.headers.etag;
  // A weak ETag cannot be used with If-Range; Last-Modified can.
  if (etag && !etag.startsWith('W/')) return etag;
  return response.headers['last-modified'] ?? null;
}

function contentLength(response: IncomingMessage): number | null {
  const value = Number(response.headers['content-length']);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function parseContentRange(header: string | undefined): { start: number; total: number | null } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  return { start: Number(match[1]), total: match[3] === '*' ? null : Number(match[3]) };
}

function parseUnsatisfiedRange(header: string | undefined): number | null {
  const match = /^bytes \*\/(\d+)$/.exec(header?.trim() ?? '');
  return match ? Number(match[1]) : null;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
