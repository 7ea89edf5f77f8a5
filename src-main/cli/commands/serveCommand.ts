import { coreFlags, modelTargetFromFlag, openEnclave, parseCommandArgs, parseGpuLayers, parsePositiveInt } from '../options';
import { CliUsageError } from '../CliUsageError';
import { assertBindable, DEFAULT_API_PORT, startApiServer, type RequestLogEntry } from '../../server';

const usage = `Usage: enclave serve [--model PATH|ID] [--host 127.0.0.1] [--port ${DEFAULT_API_PORT}] [--data-dir DIR]
                     [--threads N] [--gpu-layers auto|N] [--context-size N] [--max-queue N]
                     [--allow-origin ORIGIN]... [--allow-remote [--allowed-host HOST:PORT]...]
                     [--show-token] [--quiet]

Runs Enclave's core without a window and serves its OpenAI-compatible API at http://HOST:PORT/v1
until Ctrl+C. Every request needs "Authorization: Bearer <token>"; the token is created on first
use in the data folder's api-token file (ENCLAVE_API_TOKEN overrides it).

  --port 0              pick any free port (printed)
  --max-queue N         requests that may wait for the model before others get 429 (default 64)
  --allow-origin O      let web pages from origin O (e.g. http://localhost:5173) call the API (CORS)
  --allow-remote        allow a --host other than 127.0.0.1, ::1 or localhost (reachable from the network)
  --allowed-host H:P    also answer requests whose Host header is H:P (with --allow-remote)
  --show-token          print the token itself (it is never printed otherwise)
  --quiet               no request log lines on stderr`;

export async function serveCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      ...coreFlags,
      host: { type: 'string' },
      port: { type: 'string' },
      'max-queue': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'allow-remote': { type: 'boolean' },
      'allowed-host': { type: 'string', multiple: true },
      'show-token': { type: 'boolean' },
      quiet: { type: 'boolean' }
    },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const port = parsePort(values.port, usage);
  const maxQueueLength = parsePositiveInt(values['max-queue'], 'max-queue', usage);
  if (values['allowed-host']?.length && !values['allow-remote']) throw new CliUsageError('--allowed-host needs --allow-remote', usage);
  assertBindable(values.host ?? '127.0.0.1', values['allow-remote']);
  // Every flag is checked before anything touches the data folder.
  const engineFlags = {
    threads: parsePositiveInt(values.threads, 'threads', usage),
    gpuLayers: parseGpuLayers(values['gpu-layers'], usage),
    contextSize: parsePositiveInt(values['context-size'], 'context-size', usage),
    maxQueueLength
  };

  const enclave = openEnclave(values['data-dir']);
  try {
    // Fail on a bad token before loading a model (which can take a while).
    const token = enclave.apiTokens.token();
    // --model says which model; without it the API starts empty, as before (the app reloads the last model).
    enclave.startHost({ reloadLastModel: false });
    const model = values.model ? await enclave.models.load(modelTargetFromFlag(values.model), engineFlags) : null;
    const server = await startApiServer(enclave, {
      host: values.host,
      port,
      allowRemote: values['allow-remote'],
      allowedHosts: values['allowed-host'],
      allowedOrigins: values['allow-origin'],
      logger: {
        request: values.quiet ? () => {} : (entry) => io.stderr.write(`${formatLogLine(entry)}\n`),
        error: (error, entry) => io.stderr.write(`error in ${entry.method} ${entry.route}: ${(error as Error)?.stack ?? error}\n`)
      }
    });
    for (const warning of server.warnings) io.stderr.write(`warning: ${warning}\n`);
    const status = await enclave.engine.status();
    const tokenLine =
      enclave.apiTokens.source === 'env'
        ? 'token: from ENCLAVE_API_TOKEN'
        : `token: in ${enclave.apiTokens.path} (send it as "Authorization: Bearer <token>")`;
    io.stdout.write(
      `Enclave API listening on ${server.url}/v1\n` +
        `  ${model ? `model: ${enclave.engine.loadedModel?.id} (${status.backend}, ${model.offloadedLayers}/${model.totalLayers} layers on GPU, ${model.threads} thread${model.threads === 1 ? '' : 's'})` : 'model: none loaded (requests get 503; start with --model PATH)'}\n` +
        `  ${tokenLine}\n` +
        (values['show-token'] ? `  token value: ${token}\n` : '') +
        'Press Ctrl+C to stop.\n'
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // A second Ctrl+C while closing quits at once.
        process.once('SIGINT', () => process.exit(130));
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.stderr.write('Stopping…\n');
    await server.close();
    return 0;
  } finally {
    await enclave.dispose();
  }
}

function parsePort(value: string | undefined, usageText: string): number {
  if (value === undefined) return DEFAULT_API_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new CliUsageError(`--port must be a whole number from 0 to 65535 (got "${value}")`, usageText);
  return port;
}

/** One line per request: method, route, status, duration, model. Never bodies or tokens. */
export function formatLogLine(entry: RequestLogEntry): string {
  return [
    new Date().toISOString(),
    entry.method,
    entry.route,
    entry.status,
    `${Math.round(entry.durationMs)}ms`,
    entry.model ? `model=${entry.model}` : null,
    entry.aborted ? '(client disconnected)' : null
  ]
    .filter((part) => part !== null)
    .join(' ');
}
