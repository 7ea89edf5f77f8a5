import { InvalidModelRefError } from './routingErrors';

/**
 * A model as the app, the CLI and the API name it: `local` (whichever model is loaded), a loaded local
 * model's id (its file name without .gguf, never containing a slash), `auto` (the router chooses), or a
 * cloud model as `provider/model`.
 */
export type ParsedModelRef = { kind: 'local'; id: string | null } | { kind: 'auto' } | { kind: 'cloud'; provider: string; model: string };

export function parseRef(ref: string): ParsedModelRef {
  if (ref === 'local') return { kind: 'local', id: null };
  if (ref === 'auto') return { kind: 'auto' };
  const slash = ref.indexOf('/');
  if (ref.trim() === '' || slash === 0 || slash === ref.length - 1) throw new InvalidModelRefError(ref);
  if (slash < 0) return { kind: 'local', id: ref };
  return { kind: 'cloud', provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
}

/** A cloud model ref (`provider/model`), as the fallback chain holds them. */
export function parseCloudRef(ref: string): Extract<ParsedModelRef, { kind: 'cloud' }> {
  const parsed = parseRef(ref);
  if (parsed.kind !== 'cloud') throw new InvalidModelRefError(ref);
  return parsed;
}

/** A model as settings store it: `local`, `auto` or `provider/model`; a local model's id is not kept (the loaded model changes). */
export function parseSettingRef(ref: string): ParsedModelRef {
  const parsed = parseRef(ref);
  if (parsed.kind === 'local' && parsed.id !== null) throw new InvalidModelRefError(ref);
  return parsed;
}
