import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One GET the server answered: which file, and the Range asked for (null: from the start). */
export interface ServedRequest {
  path: string;
  range: string | null;
}

/**
 * A loopback HTTP server that serves one model file's bytes under any `/models/<name>.gguf`, with
 * Range and ETag like a real file host, so downloads can be paused and resumed. A hold makes the
 * next full response stop after some bytes and keep the connection open until released, so a test
 * can act on a download in progress without racing it.
 */
export class ModelFileServer {
  readonly requests: ServedRequest[] = [];
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly #etag: string;
  #hold: { afterBytes: number; released: Promise<void>; release: () => void } | null = null;

  private constructor(
    private readonly server: Server,
    filePath: string
  ) {
    this.bytes = readFileSync(filePath);
    this.sha256 = createHash('sha256').update(this.bytes).digest('hex');
    this.#etag = `"${this.sha256.slice(0, 16)}"`;
    server.on('request', (request, response) => this.#answer(request, response));
  }

  static async start(filePath: string): Promise<ModelFileServer> {
    const server = createServer();
    const instance = new ModelFileServer(server, filePath);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  url(name: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/models/${name}`;
  }

  /** The next response from the start sends `afterBytes` bytes, then waits until `release()`. */
  holdNextResponse(afterBytes: number): { release: () => void } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#hold = { afterBytes, released, release };
    return { release };
  }

  async close(): Promise<void> {
    this.#hold?.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #answer(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method !== 'GET' || !/^\/models\/[\w.-]+\.gguf$/.test(path)) {
      response.writeHead(404).end();
      return;
    }
    const range = request.headers.range ?? null;
    this.requests.push({ path, range });
    const total = this.bytes.length;
    const match = range ? /^bytes=(\d+)-$/.exec(range) : null;
    const start = match ? Number(match[1]) : 0;
    if (start >= total && match) {
      response.writeHead(416, { 'content-range': `bytes */${total}` }).end();
      return;
    }
    const headers = { etag: this.#etag, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    if (match) {
      response.writeHead(206, { ...headers, 'content-length': total - start, 'content-range': `bytes ${start}-${total - 1}/${total}` });
      response.end(this.bytes.subarray(start));
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': total });
    const hold = this.#hold;
    if (!hold) {
      response.end(this.bytes);
      return;
    }
    this.#hold = null;
    response.write(this.bytes.subarray(0, hold.afterBytes));
    // The client may drop the connection meanwhile (a pause); then there is nothing left to send.
    void hold.released.then(() => {
      if (!response.destroyed) response.end(this.bytes.subarray(hold.afterBytes));
    });
  }
}
