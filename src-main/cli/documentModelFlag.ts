import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Enclave } from '../core/Enclave';
import { loadModelFromFlags } from './options';

export const documentModelUsage = `--model local|auto|PROVIDER/MODEL|PATH|ID: who answers. A model file (PATH, or the ID of one in the
models folder) is loaded and answers locally; "local" and "auto" (and no --model) load the model the
app loaded last, when there is one; PROVIDER/MODEL asks that cloud model through the privacy gate.`;

/**
 * Reads the document commands' --model: the model ref the core takes ('local', 'auto', `provider/model`, or
 * undefined for the default), after loading a local model when one may answer. A one-shot command has none
 * loaded, so it loads the file given, or else the one the app loaded last.
 */
export async function prepareDocumentModel(
  enclave: Enclave,
  values: { model?: string; threads?: string; 'gpu-layers'?: string; 'context-size'?: string },
  usage: string
): Promise<string | undefined> {
  const flag = values.model;
  if (flag !== undefined && flag !== 'local' && flag !== 'auto') {
    const isFile = isAbsolute(flag) || existsSync(flag) || flag.toLowerCase().endsWith('.gguf');
    if (!isFile && flag.includes('/')) return flag;
    await loadModelFromFlags(enclave, flag, values, usage);
    return 'local';
  }
  const last = enclave.engine.getSettings().lastModelPath;
  if (last && existsSync(last)) await loadModelFromFlags(enclave, last, values, usage);
  return flag;
}
