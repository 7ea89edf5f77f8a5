import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { eq } from 'drizzle-orm';
import type { EnclaveDb } from '../db/openDatabase';
import { threadTunings } from '../db/schema';
import type { ThreadSweepSample } from './LocalModel';

export interface ThreadTuning {
  bestThreads: number;
  samples: ThreadSweepSample[];
}

export interface TuningFingerprint {
  modelPath: string;
  modelSizeBytes: number;
  backend: string;
  offloadedLayers: number;
  cpuCount: number;
}

/** Owns thread_tunings: a sweep's result is valid for one model file on one machine and setup. */
export class ThreadTuningStore {
  constructor(private readonly db: EnclaveDb) {}

  find(fingerprint: TuningFingerprint): ThreadTuning | null {
    const row = this.db
      .select()
      .from(threadTunings)
      .where(eq(threadTunings.key, tuningKey(fingerprint)))
      .get();
    return row ? { bestThreads: row.bestThreads, samples: JSON.parse(row.samples) as ThreadSweepSample[] } : null;
  }

  save(fingerprint: TuningFingerprint, tuning: ThreadTuning): void {
    const values = {
      modelPath: fingerprint.modelPath,
      bestThreads: tuning.bestThreads,
      samples: JSON.stringify(tuning.samples),
      createdAt: Date.now()
    };
    this.db
      .insert(threadTunings)
      .values({ key: tuningKey(fingerprint), ...values })
      .onConflictDoUpdate({ target: threadTunings.key, set: values })
      .run();
  }
}

function tuningKey(fingerprint: TuningFingerprint): string {
  const machine = `${cpus()[0]?.model ?? 'unknown-cpu'}|${fingerprint.cpuCount}|${fingerprint.backend}|${fingerprint.offloadedLayers}`;
  const model = `${fingerprint.modelPath}|${fingerprint.modelSizeBytes}`;
  return createHash('sha256').update(`${model}\n${machine}`).digest('hex');
}
