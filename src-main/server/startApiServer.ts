import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { handleApiRequest, type TokenVerifier } from './handleApiRequest';
import { DEFAULT_MAX_BODY_BYTES } from './http';
import type { ApiLogger } from './requestLog';
import type { ApiCore } from './routes';
import { allowedHostHeaders, ApiServerConfigError, assertBindable, hostHeaderFor, isLoopbackHost, normalizeOrigin } from './security';

export { API_ROUTES } from './apiRoutes';
export type { ApiLogger, RequestLogEntry } from './requestLog';
export type { TokenVerifier } from './handleApiRequest';

export interface ApiServerOptions {
  /** Default 127.0.0.1. Anything but 127.0.0.1, ::1 or localhost needs allowRemote. */
  host?: string;
  /** Default 0: any free port (read it from the result). */
  port?: number;
  allowRemote?: boolean;
  /** Host header values (host:port) to answer besides the loopback names, e.g. for --allow-remote on a LAN name. */
  allowedHosts?: string[];
  /** Web origins allowed to call the API from a browser (CORS). Default none: no CORS headers at all. */
  allowedOrigins?: string[];
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Checks bearer tokens; default the core's ApiTokenStore (enclave.apiTokens). */
  tokens?: TokenVerifier;
  logger?: Partial<ApiLogger>;
  /** Time allowed to send the request headers (default 10 s) and the whole request (default 30 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Idle keep-alive connections close after this long (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** Open connections at most (default 256). */
  maxConnections?: number;
}

export interface ApiServer {
  /** Base URL, e.g. http://127.0.0.1:8080 (clients use `${url}/v1`). */
  url: string;
  host: string;
  port: number;
  /** Things the person starting the server should be told (e.g. remote access is on). */
  warnings: string[];
  /** Stops accepting, ends open requests (aborting their generations) and resolves once all are done. */
  close(): Promise<void>;
}

/**
 * Starts the local HTTP API over the core: OpenAI-compatible routes, secure by default (loopback
 * only, bearer token on every route, Host allow-list, no CORS, JSON bodies with a size limit).
 * This is what `enclave serve` and the desktop app's settings call.
 */
export async function startApiServer(core: ApiCore & { apiTokens?: TokenVerifier }, options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const warnings: string[] = [];
  assertBindable(host, options.allowRemote);
  if (!isLoopbackHost(host)) {
    warnings.push(
      `The API listens on ${host}: other machines on the network can reach it (with the token). ` +
        'Only requests whose Host header is on the allow-list are answered; add names with --allowed-host.'
    );
  }
  const tokens = options.tokens ?? core.apiTokens;
  if (!tokens) throw new ApiServerConfigError('No API token store given: pass options.tokens or an Enclave (enclave.apiTokens).');
  // Fail now, not on the first request, if the token cannot be had (ENCLAVE_API_TOKEN too short, unwritable file).
  tokens.verify('');
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map(normalizeOrigin));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger: ApiLogger = {
    request: options.logger?.request ?? (() => {}),
    error: options.logger?.error ?? ((error) => console.error('enclave api: unexpected error', error))
  };

  const server = createServer({
    // A missing Host header is answered by the Host check (403), not by Node's 400.
    requireHostHeader: false,
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs ?? 1000),
    noDelay: true
  });
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  server.maxConnections = options.maxConnections ?? 256;

  let allowedHosts = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  // The response in progress on each connection, and those Node's request timeout cut short.
  const responses = new WeakMap<Duplex, ServerResponse>();
  const timedOut = new WeakSet<ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    responses.set(req.socket, res);
    res.once('close', () => {
      if (responses.get(req.socket) === res) responses.delete(req.socket);
    });
    const pipeline = { core, tokens, allowedHosts, allowedOrigins, maxBodyBytes, logger, timedOut: (r: ServerResponse) => timedOut.has(r) };
    const handling = handleApiRequest(req, res, pipeline).catch((error: unknown) => {
      // handleRequest answers its own errors; this is a last line so nothing can crash the process.
      res.destroy();
      try {
        logger.error(error, { method: req.method ?? '?', route: '(internal)', status: 500, durationMs: 0 });
      } catch {
        // a broken logger must not take the server down either
      }
    });
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  });

  // Node's own handling of a bad or too slow request, plus a note when it cut one short, so the
  // request log says 408 rather than whatever res.statusCode still held.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const res = responses.get(socket);
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && res) timedOut.add(res);
    if (socket.writable && !res?.headersSent) socket.write(clientErrorResponse(error.code));
    socket.destroy(error);
  });

  const port = await listen(server, host, options.port ?? 0);
  // Known only now (port 0 picks one); no request can be parsed before this line runs.
  allowedHosts = allowedHostHeaders(host, port, options.allowedHosts);
  // Later server errors (e.g. out of file descriptors while accepting) are reported, never thrown.
  server.on('error', (error) => logger.error(error, { method: '-', route: '(server)', status: 0, durationMs: 0 }));

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostHeaderFor(urlHost, port)}`,
    host,
    port,
    warnings,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await Promise.allSettled([...inFlight]);
      })();
      return closing;
    }
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE')
        reject(new ApiServerConfigError(`Port ${port} on ${host} is already in use; choose another port (0 picks any free one).`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new ApiServerConfigError(`Cannot listen on ${host}: this machine has no such address.`));
      else if (error.code === 'EACCES') reject(new ApiServerConfigError(`Not allowed to listen on port ${port}; pick one above 1023.`));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/** What Node itself sends for a client error (lib/_http_server.js), before closing the connection. */
function clientErrorResponse(code: string | undefined): string {
  const status =
    code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? '408 Request Timeout'
      : code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
          ? '413 Payload Too Large'
          : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`;
}
