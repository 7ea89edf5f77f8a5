import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './ApiError';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, 'Content-Length': String(Buffer.byteLength(payload)), ...headers });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.body, error.headers);
}

/** Thrown when the client went away while its request body was being read. */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection');
  }
}

function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((parameter) => !parameter.startsWith('charset=') || /^charset="?utf-8"?$/.test(parameter));
}

/**
 * Reads a JSON body with a hard size limit: a declared Content-Length over the limit is refused
 * before reading, and a streamed body stops being kept the moment it passes the limit (the rest
 * is drained and dropped, the connection closed after the 413). Only UTF-8 JSON is accepted.
 */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type']))
    throw new ApiError(
      415,
      'invalid_request_error',
      'Send the request body as JSON, with "Content-Type: application/json".',
      'unsupported_media_type'
    );
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity')
    throw new ApiError(
      415,
      'invalid_request_error',
      `Compressed request bodies (${encoding}) are not supported; send plain JSON.`,
      'unsupported_media_type'
    );
  const tooLarge = () => {
    // Whatever is still on its way is not read into memory; the connection ends after the reply.
    res.setHeader('Connection', 'close');
    req.on('data', () => {});
    return new ApiError(413, 'invalid_request_error', `The request body is larger than ${maxBytes} bytes.`, 'request_too_large');
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  const bytes = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(new ClientGoneError());
    };
    const onClose = () => {
      if (!req.complete) onError();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw ApiError.invalid('The request body is not valid UTF-8.', null, 'invalid_json');
  }
  if (!text.trim()) throw ApiError.invalid('The request body is empty; send a JSON object.', null, 'invalid_json');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw ApiError.invalid(`The request body is not valid JSON (${(error as Error).message}).`, null, 'invalid_json');
  }
}

/**
 * A server-sent-events reply, started lazily: until the first event the request can still be
 * answered with an ordinary HTTP error (a full queue, a prompt too long).
 */
export class SseStream {
  constructor(private readonly res: ServerResponse) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  send(data: unknown): void {
    this.start();
    if (!this.res.destroyed && !this.res.writableEnded) this.res.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the stream the OpenAI way. */
  done(): void {
    this.start();
    if (!this.res.destroyed && !this.res.writableEnded) this.res.end('data: [DONE]\n\n');
  }

  /** Reports an error inside an open stream (its HTTP status is already sent) and ends it. */
  fail(error: ApiError): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    this.res.end(`data: ${JSON.stringify(error.body)}\n\n`);
  }

  private start(): void {
    if (this.res.headersSent) return;
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no'
    });
  }
}
