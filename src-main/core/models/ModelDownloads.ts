import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { EnclaveError } from '../EnclaveError';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { DownloadInfo } from '../shared/types';
import {
  DownloadChecksumMismatchError,
  DownloadNotFoundError,
  DownloadSizeMismatchError,
  DownloadStateError,
  InsufficientDiskSpaceError,
  ModelFileExistsError
} from './errors';
import { fetchToPartialFile } from './fetchToPartialFile';
import type { ModelCatalogue } from './ModelCatalogue';
import type { ModelLibrary } from './ModelLibrary';
import { resolveDownloadSource, type DownloadTarget } from './resolveDownloadSource';

export interface ModelDownloadsOptions {
  /** Where `hf:` URIs point (default https://huggingface.co). */
  huggingFaceEndpoint?: string;
  /** A connection silent this long counts as cut (default 60 s). */
  idleTimeoutMs?: number;
}

/** Beside each partial file: what it is a download of, so a restart can resume it. */
const PART_SUFFIX = '.part';
const SIDECAR_SUFFIX = '.part.json';
const PROGRESS_INTERVAL_MS = 250;
/** Free space to leave on the disk beyond the file itself. */
const DISK_MARGIN_BYTES = 64 * 2 ** 20;

const sidecarSchema = z.object({
  id: z.string(),
  source: z.string(),
  url: z.string(),
  fileName: z.string(),
  catalogueId: z.string().nullable(),
  sha256: z.string().nullable(),
  totalBytes: z.number().nullable(),
  validator: z.string().nullable(),
  startedAt: z.number()
});
type Sidecar = z.infer<typeof sidecarSchema>;

interface Job {
  info: DownloadInfo;
  sidecar: Sidecar;
  controller: AbortController | null;
  /** Settles when the current run ends (done, failed, paused or cancelled). */
  run: Promise<void> | null;
  lastEmit: number;
  /** Reports bytes that came in right after an emit, in case nothing follows them (a stalled connection). */
  trailingEmit: NodeJS.Timeout | null;
  speed: { at: number; bytes: number } | null;
}

class PauseSignal extends Error {}
class CancelSignal extends Error {}

/**
 * Downloads into the models folder: each to `<file>.part` beside its target (with a `.part.json`
 * saying what it is), resumed with HTTP Range after a pause, a cut connection or a restart; checked
 * for free disk before the first byte, then for size and sha256 (when known); renamed into place
 * only when complete and verified. Several run at once; each reports through `downloadProgress`.
 */
export class ModelDownloads {
  private readonly jobs = new Map<string, Job>();
  private restored: Promise<void> | null = null;

  constructor(
    private readonly library: ModelLibrary,
    private readonly catalogue: ModelCatalogue,
    private readonly events: EnclaveEvents,
    private readonly options: ModelDownloadsOptions = {}
  ) {}

  async list(): Promise<DownloadInfo[]> {
    await this.restore();
    return [...this.jobs.values()].map((job) => ({ ...job.info }));
  }

  /** Starts a download, or resumes the paused or failed one of the same file. */
  async start(source: string): Promise<DownloadInfo> {
    await this.restore();
    const target = await resolveDownloadSource(source, {
      catalogue: this.catalogue,
      huggingFaceEndpoint: this.options.huggingFaceEndpoint ?? 'https://huggingface.co'
    });
    const existing = [...this.jobs.values()].find((job) => job.info.fileName === target.fileName && isUnfinished(job.info.status));
    if (existing) return isRunning(existing.info.status) ? { ...existing.info } : this.resume(existing.info.id);
    const dir = await this.library.ensureDir();
    if (await pathExists(join(dir, target.fileName))) throw new ModelFileExistsError(join(dir, target.fileName));
    const job = this.createJob(target);
    this.jobs.set(job.info.id, job);
    await this.writeSidecar(job);
    this.launch(job);
    return { ...job.info };
  }

  async pause(id: string): Promise<DownloadInfo> {
    const job = await this.require(id);
    if (!isRunning(job.info.status)) throw new DownloadStateError(id, job.info.status, 'paused');
    job.controller?.abort(new PauseSignal());
    await job.run;
    return { ...job.info };
  }

  async resume(id: string): Promise<DownloadInfo> {
    const job = await this.require(id);
    if (job.info.status !== 'paused' && job.info.status !== 'failed') throw new DownloadStateError(id, job.info.status, 'resumed');
    this.launch(job);
    return { ...job.info };
  }

  /** Stops a download and deletes its partial file. */
  async cancel(id: string): Promise<DownloadInfo> {
    const job = await this.require(id);
    if (!isUnfinished(job.info.status)) throw new DownloadStateError(id, job.info.status, 'cancelled');
    if (job.controller) {
      job.controller.abort(new CancelSignal());
      await job.run;
    }
    await this.removePartial(job);
    this.update(job, { status: 'cancelled', bytesPerSecond: 0, etaSeconds: null }, true);
    return { ...job.info };
  }

  /** Forgets a finished, failed or cancelled download (a failed one's partial file is deleted). */
  async dismiss(id: string): Promise<void> {
    const job = await this.require(id);
    if (isRunning(job.info.status) || job.info.status === 'paused') throw new DownloadStateError(id, job.info.status, 'dismissed');
    if (job.info.status === 'failed') await this.removePartial(job);
    this.jobs.delete(id);
  }

  /** Resolves with the download's state once its current run ends (the CLI waits on this). */
  async settled(id: string): Promise<DownloadInfo> {
    const job = await this.require(id);
    await job.run;
    return { ...job.info };
  }

  /** Pauses every running download (their partial files stay for the next start). */
  async dispose(): Promise<void> {
    const running = [...this.jobs.values()].filter((job) => job.controller);
    for (const job of running) job.controller!.abort(new PauseSignal());
    await Promise.all(running.map((job) => job.run));
  }

  private createJob(target: DownloadTarget): Job {
    const now = Date.now();
    const id = randomUUID();
    return {
      info: {
        id,
        source: target.source,
        url: target.url,
        catalogueId: target.catalogueId,
        fileName: target.fileName,
        receivedBytes: 0,
        totalBytes: null,
        bytesPerSecond: 0,
        etaSeconds: null,
        status: 'queued',
        error: null,
        errorCode: null,
        modelFileId: null,
        startedAt: now,
        updatedAt: now
      },
      sidecar: { id, ...target, totalBytes: null, validator: null, startedAt: now },
      controller: null,
      run: null,
      lastEmit: 0,
      trailingEmit: null,
      speed: null
    };
  }

  private launch(job: Job): void {
    const controller = new AbortController();
    job.controller = controller;
    job.speed = null;
    this.update(job, { status: 'downloading', error: null, errorCode: null }, true);
    job.run = this.runJob(job, controller.signal).finally(() => {
      if (job.controller === controller) job.controller = null;
    });
  }

  private async runJob(job: Job, signal: AbortSignal): Promise<void> {
    const dir = this.library.dir;
    const partPath = join(dir, `${job.info.fileName}${PART_SUFFIX}`);
    const finalPath = join(dir, job.info.fileName);
    try {
      const fetched = await fetchToPartialFile({
        url: job.info.url,
        partPath,
        signal,
        validator: job.sidecar.validator,
        idleTimeoutMs: this.options.idleTimeoutMs,
        beforeWrite: async ({ totalBytes, offset, validator }) => {
          if (totalBytes !== null) await assertFreeSpace(dir, totalBytes - offset);
          job.sidecar = { ...job.sidecar, totalBytes, validator };
          await this.writeSidecar(job);
          this.update(job, { totalBytes, receivedBytes: offset }, true);
        },
        onBytes: (receivedBytes) => this.progress(job, receivedBytes)
      });
      this.update(job, { status: 'verifying', receivedBytes: fetched.totalBytes, bytesPerSecond: 0, etaSeconds: 0 }, true);
      await verify(partPath, job.info.fileName, fetched.totalBytes, job.sidecar.sha256 ?? fetched.publishedSha256).catch(
        async (error: unknown) => {
          await this.removePartial(job);
          throw error;
        }
      );
      if (await pathExists(finalPath)) throw new ModelFileExistsError(finalPath);
      await rename(partPath, finalPath);
      await rm(sidecarPath(dir, job.info.fileName), { force: true });
      this.update(job, { status: 'done', modelFileId: job.info.fileName.replace(/\.gguf$/i, '') }, true);
      this.events.emit('modelsChanged', {});
    } catch (error) {
      const reason = signal.aborted ? signal.reason : error;
      if (reason instanceof CancelSignal) return;
      if (reason instanceof PauseSignal) {
        this.update(job, { status: 'paused', bytesPerSecond: 0, etaSeconds: null, receivedBytes: await sizeOf(partPath) }, true);
        return;
      }
      this.update(
        job,
        {
          status: 'failed',
          bytesPerSecond: 0,
          etaSeconds: null,
          receivedBytes: await sizeOf(partPath),
          error: (error as Error)?.message ?? String(error),
          errorCode: error instanceof EnclaveError ? error.code : null
        },
        true
      );
    }
  }

  private progress(job: Job, receivedBytes: number, trailing = false): void {
    const now = Date.now();
    if (!job.speed) job.speed = { at: now, bytes: receivedBytes };
    if (!trailing && now - job.lastEmit < PROGRESS_INTERVAL_MS) {
      job.info.receivedBytes = receivedBytes;
      job.trailingEmit ??= setTimeout(() => {
        job.trailingEmit = null;
        if (job.info.status === 'downloading') this.progress(job, job.info.receivedBytes, true);
      }, PROGRESS_INTERVAL_MS).unref();
      return;
    }
    const elapsed = (now - job.speed.at) / 1000;
    const bytesPerSecond = elapsed > 0 ? (receivedBytes - job.speed.bytes) / elapsed : 0;
    const total = job.info.totalBytes;
    this.update(
      job,
      {
        receivedBytes,
        bytesPerSecond,
        etaSeconds: total !== null && bytesPerSecond > 0 ? Math.ceil((total - receivedBytes) / bytesPerSecond) : null
      },
      trailing
    );
  }

  private update(job: Job, patch: Partial<DownloadInfo>, always = false): void {
    const now = Date.now();
    job.info = { ...job.info, ...patch, updatedAt: now };
    if (!always && now - job.lastEmit < PROGRESS_INTERVAL_MS) return;
    job.lastEmit = now;
    this.events.emit('downloadProgress', { download: { ...job.info } });
  }

  private async require(id: string): Promise<Job> {
    await this.restore();
    const job = this.jobs.get(id);
    if (!job) throw new DownloadNotFoundError(id);
    return job;
  }

  private async writeSidecar(job: Job): Promise<void> {
    const path = sidecarPath(this.library.dir, job.info.fileName);
    await writeFile(`${path}.tmp`, JSON.stringify(job.sidecar));
    await rename(`${path}.tmp`, path);
  }

  private async removePartial(job: Job): Promise<void> {
    const dir = this.library.dir;
    await rm(join(dir, `${job.info.fileName}${PART_SUFFIX}`), { force: true });
    await rm(sidecarPath(dir, job.info.fileName), { force: true });
  }

  /** Partial downloads a previous run left (paused, cut or interrupted by quitting) come back as paused. */
  private restore(): Promise<void> {
    this.restored ??= (async () => {
      const dir = this.library.dir;
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.filter((name) => name.endsWith(SIDECAR_SUFFIX))) {
        const parsed = sidecarSchema.safeParse(await readFile(join(dir, name), 'utf8').then(JSON.parse, () => null));
        if (!parsed.success || parsed.data.fileName !== name.slice(0, -SIDECAR_SUFFIX.length)) continue;
        const sidecar = parsed.data;
        const job = this.createJob(sidecar);
        job.sidecar = sidecar;
        job.info = {
          ...job.info,
          id: sidecar.id,
          status: 'paused',
          totalBytes: sidecar.totalBytes,
          receivedBytes: await sizeOf(join(dir, `${sidecar.fileName}${PART_SUFFIX}`)),
          startedAt: sidecar.startedAt
        };
        this.jobs.set(sidecar.id, job);
      }
    })();
    return this.restored;
  }
}

const isRunning = (status: DownloadInfo['status']) => status === 'queued' || status === 'downloading' || status === 'verifying';
const isUnfinished = (status: DownloadInfo['status']) => isRunning(status) || status === 'paused' || status === 'failed';
const sidecarPath = (dir: string, fileName: string) => join(dir, `${fileName}${SIDECAR_SUFFIX}`);

async function assertFreeSpace(dir: string, neededBytes: number): Promise<void> {
  const fs = await statfs(dir);
  const freeBytes = fs.bavail * fs.bsize;
  if (neededBytes + DISK_MARGIN_BYTES > freeBytes) throw new InsufficientDiskSpaceError(dir, neededBytes, freeBytes);
}

async function verify(path: string, fileName: string, expectedBytes: number, sha256: string | null): Promise<void> {
  const actualBytes = await sizeOf(path);
  if (actualBytes !== expectedBytes) throw new DownloadSizeMismatchError(fileName, expectedBytes, actualBytes);
  if (!sha256) return;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const actual = hash.digest('hex');
  if (actual !== sha256.toLowerCase()) throw new DownloadChecksumMismatchError(fileName, sha256, actual);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  );
}
