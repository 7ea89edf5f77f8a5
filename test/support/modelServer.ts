import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * A loopback server for one file, with HTTP Range support, and routes that misbehave:
 *   /model.gguf            the file (ETag, Range, If-Range)
 *   /cut/model.gguf        the first request sends `cutAfter` bytes, then drops the connection; later ones are normal
 *   /always-cut/model.gguf every request drops the connection after `cutAfter` more bytes
 *   /wrong-sha/model.gguf  the file, published with a wrong sha256 (X-Linked-Etag, as Hugging Face does)
 *   /redirect/model.gguf   302 to /model.gguf (with X-Linked-Etag: the right sha256)
 *   /slow/model.gguf       the file in 16 KiB pieces, one every `slowDelayMs`
 *   /huge/model.gguf       claims a petabyte (Content-Length) and sends nothing
 *   /no-range/model.gguf   ignores Range: always 200 with the whole file
 *   /missing.gguf          404
 *   /broken.gguf           500
 */
export class ModelServer {
  readonly requests: ServedRequest[] = [];
  private cutDone = false;

  private constructor(
    private readonly server: Server,
    readonly body: Buffer,
    private readonly cutAfter: number,
    private readonly slowDelayMs: number
  ) {}

  static async start(file: string, { cutAfter, slowDelayMs = 20 }: { cutAfter?: number; slowDelayMs?: number } = {}): Promise<ModelServer> {
    const body = readFileSync(file);
    let instance: ModelServer | null = null;
    const server = createServer((req, res) => instance!.handle(req, res));
    instance = new ModelServer(server, body, cutAfter ?? Math.floor(body.length / 2), slowDelayMs);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get sha256(): string {
    return createHash('sha256').update(this.body).digest('hex');
  }

  get etag(): string {
    return `"${this.sha256.slice(0, 16)}"`;
  }

  requestsTo(path: string): ServedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.requests.push({ path, headers: req.headers });
    const ifRange = req.headers['if-range'];
    const range = this.range(req.headers.range, typeof ifRange === 'string' ? ifRange : undefined);
    switch (path) {
      case '/model.gguf':
        return this.send(res, range);
      case '/wrong-sha/model.gguf':
        res.setHeader('x-linked-etag', `"${'0'.repeat(64)}"`);
        return this.send(res, range);
      case '/redirect/model.gguf':
        res.writeHead(302, { location: '/model.gguf', 'x-linked-etag': `"${this.sha256}"` }).end();
        return;
      case '/cut/model.gguf':
        if (this.cutDone) return this.send(res, range);
        this.cutDone = true;
        return this.send(res, range, this.cutAfter);
      case '/always-cut/model.gguf':
        return this.send(res, range, (range?.start ?? 0) + this.cutAfter);
      case '/slow/model.gguf':
        return this.sendSlowly(res, range);
      case '/no-range/model.gguf':
        return this.send(res, null);
      case '/huge/model.gguf':
        res.writeHead(200, { 'content-length': String(2 ** 50), etag: this.etag });
        res.flushHeaders();
        return;
      case '/broken.gguf':
        res.writeHead(500).end('internal error');
        return;
      default:
        res.writeHead(404).end('not found');
    }
  }

  private range(header: string | undefined, ifRange: string | undefined): { start: number } | null {
    const match = /^bytes=(\d+)-$/.exec(header ?? '');
    if (!match) return null;
    if (ifRange !== undefined && ifRange !== this.etag) return null;
    return { start: Number(match[1]) };
  }

  private headersFor(res: ServerResponse, range: { start: number } | null): number {
    const start = range?.start ?? 0;
    if (range && start >= this.body.length) {
      res.writeHead(416, { 'content-range': `bytes */${this.body.length}` }).end();
      return -1;
    }
    const headers = { etag: this.etag, 'accept-ranges': 'bytes', 'content-length': String(this.body.length - start) };
    if (range) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${this.body.length - 1}/${this.body.length}` });
    else res.writeHead(200, headers);
    return start;
  }

  /** Sends from the range's start; with `cutAt`, destroys the socket once that byte offset is reached. */
  private send(res: ServerResponse, range: { start: number } | null, cutAt?: number): void {
    const start = this.headersFor(res, range);
    if (start < 0) return;
    if (cutAt === undefined || cutAt >= this.body.length) {
      res.end(this.body.subarray(start));
      return;
    }
    res.write(this.body.subarray(start, Math.max(start, cutAt)), () => setTimeout(() => res.socket?.destroy(), 20));
  }

  private sendSlowly(res: ServerResponse, range: { start: number } | null): void {
    let offset = this.headersFor(res, range);
    if (offset < 0) return;
    const piece = 16 * 1024;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      const end = Math.min(this.body.length, offset + piece);
      res.write(this.body.subarray(offset, end));
      offset = end;
      if (offset >= this.body.length) {
        clearInterval(timer);
        res.end();
      }
    }, this.slowDelayMs);
    res.on('close', () => clearInterval(timer));
  }
}
