import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * CPUs this process may really use: the scheduler affinity (availableParallelism) capped by a
 * cgroup v2 CPU quota, as set by containers and CI runners.
 */
export function availableCpuCount(): number {
  return Math.max(1, Math.min(availableParallelism(), cgroupCpuQuota() ?? Infinity));
}

function cgroupCpuQuota(): number | undefined {
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (!quota || quota === 'max' || !period) return undefined;
    return Math.max(1, Math.floor(Number(quota) / Number(period)));
  } catch {
    return undefined;
  }
}

/**
 * The thread count used before an auto-tune has run. llama.cpp's default oversubscribes small
 * machines badly (measured on 2 CPUs: 1 thread 185 tok/s, default 1.2 tok/s), and logical CPUs
 * beyond the physical cores rarely help, so: 1 thread up to 2 CPUs, then half the CPUs.
 */
export function defaultThreadCount(cpus = availableCpuCount()): number {
  return cpus <= 2 ? 1 : Math.floor(cpus / 2);
}

/** Thread counts an auto-tune tries: a coarse sweep up to every available CPU. */
export function threadCandidates(cpus = availableCpuCount()): number[] {
  const steps = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64].filter((n) => n < cpus);
  return [...new Set([...steps, cpus])];
}
