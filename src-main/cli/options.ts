import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { GpuLayersSetting } from '../core/shared/types';
import { Enclave } from '../core/Enclave';
import { resolveDataDir } from '../core/paths';
import { CliUsageError } from './CliUsageError';

/** Flags every command that opens the core understands. */
export const coreFlags = {
  'data-dir': { type: 'string' },
  model: { type: 'string' },
  threads: { type: 'string' },
  'gpu-layers': { type: 'string' },
  'context-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const satisfies ParseArgsConfig['options'];

export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message, usage);
  }
}

export function parsePositiveInt(value: string | undefined, flag: string, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new CliUsageError(`--${flag} must be a positive whole number (got "${value}")`, usage);
  return parsed;
}

export function parseGpuLayers(value: string | undefined, usage: string): GpuLayersSetting | undefined {
  if (value === undefined || value === 'auto') return value;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new CliUsageError(`--gpu-layers must be "auto" or a whole number (got "${value}")`, usage);
  return parsed;
}

export function openEnclave(dataDirFlag: string | undefined): Enclave {
  return Enclave.open({ dataDir: resolveDataDir(dataDirFlag) });
}

/** --model is checked before anything touches the data folder. */
export function requireModelFlag(model: string | undefined, usage: string): string {
  if (!model) throw new CliUsageError('--model PATH is required', usage);
  return model;
}

/**
 * --model's value as the core takes it: a path (absolute, with a folder separator, or an existing file;
 * relative to the working folder) or else a model id (a file in the models folder or a downloaded catalogue entry).
 */
export function modelTargetFromFlag(value: string): { path: string } | { id: string } {
  if (isAbsolute(value) || value.includes('/') || value.includes('\\') || existsSync(value)) return { path: resolve(value) };
  return { id: value };
}

/** Loads a model with the engine flags (--threads, --gpu-layers, --context-size). */
export async function loadModelFromFlags(
  enclave: Enclave,
  path: string,
  values: { threads?: string; 'gpu-layers'?: string; 'context-size'?: string },
  usage: string
) {
  // The engine takes absolute paths only; the command line's are relative to the working folder.
  return enclave.models.load(modelTargetFromFlag(path), {
    threads: parsePositiveInt(values.threads, 'threads', usage),
    gpuLayers: parseGpuLayers(values['gpu-layers'], usage),
    contextSize: parsePositiveInt(values['context-size'], 'context-size', usage)
  });
}
