import { resolve } from 'node:path';
import type { Enclave } from '../../core/Enclave';
import type { DownloadInfo, LocalModelFile } from '../../core/shared/types';
import { CliUsageError } from '../CliUsageError';
import { openEnclave, parseCommandArgs } from '../options';

const usage = `Usage: enclave models pull URI_OR_URL [--data-dir DIR]
       enclave models list [--json] [--catalogue] [--data-dir DIR]
       enclave models rm ID [--data-dir DIR]
       enclave models import PATH [--link] [--data-dir DIR]

  pull      download a catalogue id, hf:user/repo/file.gguf, hf:user/repo:QUANT, a Hugging Face URL or an
            https URL into the models folder; a cut connection exits 1 and keeps the partial file, and the
            same command again resumes it
  list      the models folder: id, size, architecture, quantization, path (--catalogue: the recommended models)
  rm        delete a model file (a linked one's link only)
  import    copy a .gguf file into the models folder (--link: link to it instead)`;

type Io = { stdout: NodeJS.WritableStream & { isTTY?: boolean }; stderr: NodeJS.WritableStream };

export async function modelsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      catalogue: { type: 'boolean' },
      link: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const [action, target, ...extra] = positionals;
  if (extra.length) throw new CliUsageError(`unexpected argument "${extra[0]}"`, usage);
  const needsTarget = action === 'pull' || action === 'rm' || action === 'import';
  if (!action || !['pull', 'list', 'rm', 'import'].includes(action)) throw new CliUsageError('give pull, list, rm or import', usage);
  if (needsTarget && !target)
    throw new CliUsageError(`models ${action} needs ${action === 'import' ? 'a PATH' : action === 'rm' ? 'an ID' : 'a URI or URL'}`, usage);
  if (!needsTarget && target) throw new CliUsageError(`unexpected argument "${target}"`, usage);

  const enclave = openEnclave(values['data-dir']);
  try {
    switch (action) {
      case 'pull':
        return await pull(enclave, target!, io);
      case 'list':
        return await list(enclave, io, { json: values.json ?? false, catalogue: values.catalogue ?? false });
      case 'rm':
        await enclave.models.remove(target!);
        io.stdout.write(`removed ${target}\n`);
        return 0;
      default: {
        const file = await enclave.models.import(resolve(target!), values.link ? 'link' : 'copy');
        io.stdout.write(`${values.link ? 'linked' : 'imported'} ${file.id} (${describe(file)})\n`);
        return 0;
      }
    }
  } finally {
    await enclave.dispose();
  }
}

async function pull(enclave: Enclave, source: string, io: Io): Promise<number> {
  const started = await enclave.downloads.start(source);
  const tty = io.stdout.isTTY === true;
  let lastLine = '';
  let lastDecile = -1;
  const off = enclave.events.on('downloadProgress', ({ download }) => {
    if (download.id !== started.id || download.status !== 'downloading') return;
    const line = progressLine(download);
    // On a terminal the line is redrawn in place; elsewhere (a log, a pipe) one line per ten percent.
    if (tty) io.stdout.write(`\r${line.padEnd(lastLine.length)}`);
    else if (Math.floor((percent(download) ?? 0) / 10) > lastDecile) {
      lastDecile = Math.floor((percent(download) ?? 0) / 10);
      io.stdout.write(`${line}\n`);
    }
    lastLine = line;
  });
  // Ctrl+C pauses: the partial file stays for the next pull.
  const onSigint = () => void enclave.downloads.pause(started.id).catch(() => {});
  process.once('SIGINT', onSigint);
  try {
    const done = await enclave.downloads.settled(started.id);
    if (tty && lastLine) io.stdout.write('\n');
    if (done.status === 'done') {
      io.stdout.write(`downloaded ${done.fileName} (${formatBytes(done.receivedBytes)}) to ${enclave.models.dir}\n`);
      return 0;
    }
    io.stderr.write(`enclave models pull: ${done.error ?? `the download is ${done.status}`}\n`);
    return 1;
  } finally {
    off();
    process.off('SIGINT', onSigint);
  }
}

async function list(enclave: Enclave, io: Io, options: { json: boolean; catalogue: boolean }): Promise<number> {
  if (options.catalogue) {
    const view = await enclave.models.catalogueView();
    if (options.json) io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    else
      for (const entry of view.entries)
        io.stdout.write(
          `${entry.id}\t${entry.role}${entry.sizeClass ? `/${entry.sizeClass}` : ''}\t${formatBytes(entry.sizeBytes)}\t${entry.quantization}\t${entry.fit.verdict}${entry.fit.speedClass ? ` (${entry.fit.speedClass})` : ''}${entry.localFileId ? '\tdownloaded' : ''}\n`
        );
    return 0;
  }
  const files = await enclave.models.list();
  if (options.json) {
    io.stdout.write(`${JSON.stringify(files, null, 2)}\n`);
    return 0;
  }
  if (files.length === 0)
    io.stdout.write(`No models in ${enclave.models.dir}. Download one: enclave models pull ID (enclave models list --catalogue)\n`);
  for (const file of files) io.stdout.write(`${file.id}\t${describe(file)}\t${file.path}${file.linked ? ' (linked)' : ''}\n`);
  return 0;
}

function describe(file: LocalModelFile): string {
  if (file.error) return `unreadable: ${file.error}`;
  return [formatBytes(file.sizeBytes), file.architecture ?? '?', file.parameters, file.quantization ?? '?'].filter(Boolean).join(', ');
}

function progressLine(download: DownloadInfo): string {
  const pct = percent(download);
  const eta = download.etaSeconds !== null ? `, ${formatDuration(download.etaSeconds)} left` : '';
  return `${download.fileName}: ${pct !== null ? `${pct}% ` : ''}${formatBytes(download.receivedBytes)}${download.totalBytes !== null ? ` of ${formatBytes(download.totalBytes)}` : ''} at ${formatBytes(download.bytesPerSecond)}/s${eta}`;
}

function percent(download: DownloadInfo): number | null {
  return download.totalBytes ? Math.floor((download.receivedBytes / download.totalBytes) * 100) : null;
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

function formatDuration(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.round(seconds)} s`;
}
