import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { providerKindSchema, providerNameSchema } from '../../../src-preload/contract';
import type { ProviderInfo } from '../../core/shared/types';
import type { Enclave } from '../../core/Enclave';
import { CliUsageError } from '../CliUsageError';
import { openEnclave, parseCommandArgs } from '../options';
import { readAll } from '../readAll';

const usage = `Usage: enclave provider <action> [options]

Actions:
  add KIND --name NAME [--base-url URL]   Add a cloud provider. KIND: ${providerKindSchema.options.join(', ')}
  key NAME                                Store NAME's API key in the OS keychain, read from stdin (never from arguments)
  key NAME --delete                       Delete NAME's API key
  list [--json]                           Providers, their key status (last 4 characters only) and health
  test NAME                               A cheap authenticated call: lists the provider's models
  rm NAME                                 Remove a provider and its key

Options:
  --data-dir DIR   Enclave's data folder (default: ENCLAVE_DATA_DIR or the per-user folder)

Keys live in the OS keychain (service "Enclave"). Without a keychain service (a headless Linux box), keys are
refused unless you opt into the encrypted key file: ENCLAVE_KEY_STORE=encrypted-file ENCLAVE_KEY_PASSPHRASE=…
(see the README for its trade-off). Cloud models are then named NAME/MODEL, e.g. openai/gpt-4.1-mini.`;

type Io = { stdin: NodeJS.ReadableStream & { isTTY?: boolean }; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

export async function providerCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      name: { type: 'string' },
      'base-url': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      delete: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const [action, argument, ...extra] = positionals;
  // Not echoed: an extra argument may well be a key pasted where it does not belong.
  if (extra.length > 0)
    throw new CliUsageError(`${extra.length} unexpected argument(s) (an API key is read from stdin, never from arguments)`, usage);

  const run = async (work: (enclave: Enclave) => Promise<number>) => {
    const enclave = openEnclave(values['data-dir']);
    try {
      return await work(enclave);
    } finally {
      await enclave.dispose();
    }
  };

  switch (action) {
    case 'add': {
      const kind = providerKindSchema.safeParse(argument);
      if (!kind.success) throw new CliUsageError(`KIND must be one of: ${providerKindSchema.options.join(', ')}`, usage);
      const name = parseName(values.name, usage, '--name NAME is required');
      return run(async (enclave) => {
        const provider = await enclave.cloud.addProvider({ name, kind: kind.data, baseUrl: values['base-url'] ?? null });
        io.stdout.write(`Added ${provider.name} (${provider.kind}, ${provider.baseUrl}). Next: enclave provider key ${provider.name}\n`);
        return 0;
      });
    }
    case 'key': {
      const name = parseName(argument, usage, 'NAME is required');
      if (values.delete)
        return run(async (enclave) => {
          await enclave.cloud.deleteKey(name);
          io.stdout.write(`Deleted the API key of ${name}.\n`);
          return 0;
        });
      return run(async (enclave) => {
        await enclave.cloud.getProvider(name); // an unknown name fails before the key is asked for
        const key = (await readKey(io, name)).trim();
        if (!key) throw new CliUsageError('no key on stdin', usage);
        const provider = await enclave.cloud.setKey(name, key);
        const store = await enclave.cloud.keyStoreInfo();
        io.stdout.write(`Stored the API key of ${name} (····${provider.key.last4 ?? ''}) in ${store.description}.\n`);
        return 0;
      });
    }
    case 'list':
      return run(async (enclave) => {
        const providers = await enclave.cloud.listProviders();
        if (values.json) io.stdout.write(`${JSON.stringify(providers, null, 2)}\n`);
        else if (providers.length === 0) io.stdout.write('No providers yet. Add one: enclave provider add openai --name openai\n');
        else for (const provider of providers) io.stdout.write(`${describe(provider)}\n`);
        return 0;
      });
    case 'test': {
      const name = parseName(argument, usage, 'NAME is required');
      return run(async (enclave) => {
        const result = await enclave.cloud.test(name);
        if (!result.ok) {
          io.stderr.write(`${name}: ${result.error}\n`);
          return 1;
        }
        io.stdout.write(`${name}: OK in ${Math.round(result.latencyMs)} ms, ${result.models.length} models\n`);
        for (const model of result.models.slice(0, 50)) io.stdout.write(`  ${name}/${model}\n`);
        if (result.models.length > 50) io.stdout.write(`  … and ${result.models.length - 50} more\n`);
        return 0;
      });
    }
    case 'rm': {
      const name = parseName(argument, usage, 'NAME is required');
      return run(async (enclave) => {
        await enclave.cloud.removeProvider(name);
        io.stdout.write(`Removed ${name} and its key.\n`);
        return 0;
      });
    }
    default:
      throw new CliUsageError(action ? `unknown action "${action}"` : 'an action is required', usage);
  }
}

function parseName(value: string | undefined, usage: string, missing: string): string {
  if (!value) throw new CliUsageError(missing, usage);
  const parsed = providerNameSchema.safeParse(value);
  if (!parsed.success) throw new CliUsageError(`invalid provider name "${value}": ${parsed.error.issues[0]?.message}`, usage);
  return parsed.data;
}

function describe(provider: ProviderInfo): string {
  const key = provider.key.set ? `key ····${provider.key.last4 ?? ''}` : 'no key';
  const spent = provider.spentThisMonthUsd > 0 ? `, $${provider.spentThisMonthUsd.toFixed(4)} this month` : '';
  return `${provider.name}\t${provider.kind}\t${provider.baseUrl}\t${key}\t${provider.health.state}${spent}`;
}

/** From a pipe: all of stdin. At a terminal: one line, not echoed. */
async function readKey(io: Io, name: string): Promise<string> {
  if (!io.stdin.isTTY) return readAll(io.stdin);
  io.stderr.write(`API key for ${name} (input hidden): `);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input: io.stdin, output: muted, terminal: true });
  try {
    const line = await new Promise<string>((resolve) => lines.once('line', resolve));
    io.stderr.write('\n');
    return line;
  } finally {
    lines.close();
  }
}
