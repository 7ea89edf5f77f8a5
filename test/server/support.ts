import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Enclave } from '../../src-main/core/Enclave';
import { startApiServer, type ApiServer, type ApiServerOptions, type RequestLogEntry } from '../../src-main/server';
import { ensureTestModel } from '../support/writeTestModel';

export interface TestApi {
  enclave: Enclave;
  server: ApiServer;
  token: string;
  /** `${server.url}/v1` */
  baseURL: string;
  modelId: string | null;
  modelPath: string;
  log: RequestLogEntry[];
  errors: unknown[];
  close(): Promise<void>;
}

/**
 * A real Enclave in a temp folder with the generated tiny model loaded (unless `model: false`), and
 * the API on 127.0.0.1 with a free port. Server errors (500s) are collected so tests can assert none.
 */
export async function startTestApi(
  options: ApiServerOptions & { model?: boolean; contextSize?: number; maxQueueLength?: number } = {}
): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-api-test-'));
  const enclave = Enclave.open({ dataDir, gpu: false });
  const modelPath = await ensureTestModel();
  const log: RequestLogEntry[] = [];
  const errors: unknown[] = [];
  try {
    if (options.model !== false)
      await enclave.engine.loadModel({
        path: modelPath,
        threads: 1,
        contextSize: options.contextSize ?? 1024,
        maxQueueLength: options.maxQueueLength
      });
    const server = await startApiServer(enclave, {
      ...options,
      host: '127.0.0.1',
      port: 0,
      logger: { request: (entry) => log.push(entry), error: (error) => errors.push(error) }
    });
    return {
      enclave,
      server,
      token: enclave.apiTokens.token(),
      baseURL: `${server.url}/v1`,
      modelId: enclave.engine.loadedModel?.id ?? null,
      modelPath,
      log,
      errors,
      async close() {
        await server.close();
        await enclave.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      }
    };
  } catch (error) {
    await enclave.dispose();
    throw error;
  }
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** One HTTP request with full control over the headers (including none at all for Host). */
export function rawRequest(options: {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** false: send no Host header at all. */
  setHost?: boolean;
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        setHost: options.setHost ?? true,
        agent: false
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = undefined;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON (SSE, empty)
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export function authHeaders(api: TestApi, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json', ...extra };
}

/** Polls until `check` is true or the time is up; returns how long it took. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

/** Reads an SSE response body into its `data:` payloads. */
export function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}
