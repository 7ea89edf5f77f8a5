import { isLoopbackHost } from '../providers/CloudClient';
import type { ModelCatalogue } from './ModelCatalogue';
import { InsecureDownloadUrlError, InvalidDownloadSourceError } from './errors';

export interface DownloadTarget {
  source: string;
  url: string;
  fileName: string;
  catalogueId: string | null;
  sha256: string | null;
}

export interface ResolveOptions {
  catalogue: ModelCatalogue;
  /** Where `hf:` URIs point; https://huggingface.co unless a test or a mirror says otherwise. */
  huggingFaceEndpoint: string;
  signal?: AbortSignal;
}

const HF_HOSTS = new Set(['huggingface.co', 'hf.co', 'www.huggingface.co']);
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;

/**
 * Turns what the user gave (a catalogue id, `hf:user/repo/file.gguf[#branch]`, `hf:user/repo:quant`,
 * a Hugging Face page or file URL, any https URL, plain http to this machine) into the URL to fetch
 * and the file name to save it as.
 */
export async function resolveDownloadSource(source: string, options: ResolveOptions): Promise<DownloadTarget> {
  const trimmed = source.trim();
  const entry = options.catalogue.find(trimmed);
  if (entry) {
    const target = await resolveDownloadSource(entry.uri, options);
    return { ...target, source: trimmed, catalogueId: entry.id, sha256: entry.sha256 };
  }
  if (trimmed.startsWith('hf:')) return withCatalogue(await resolveHfUri(trimmed, trimmed.slice(3), options), options);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InvalidDownloadSourceError(trimmed, 'it is neither a catalogue id, an hf: URI nor a URL');
  }
  if (HF_HOSTS.has(url.hostname) && url.protocol === 'https:') {
    // https://huggingface.co/user/repo/blob/main/file.gguf → the file itself (…/resolve/…).
    const [user, repo, kind, branch, ...file] = url.pathname.split('/').filter(Boolean);
    if (user && repo && (kind === 'blob' || kind === 'resolve') && branch && file.length)
      return withCatalogue(
        hfFile(trimmed, `${user}/${repo}`, file.join('/'), decodeURIComponent(branch), options.huggingFaceEndpoint),
        options
      );
    if (user && repo && !kind) return withCatalogue(await resolveHfUri(trimmed, `${user}/${repo}`, options), options);
  }
  assertDownloadUrl(url);
  return withCatalogue(
    { source: trimmed, url: url.toString(), fileName: fileNameFromUrl(trimmed, url), catalogueId: null, sha256: null },
    options
  );
}

/** https anywhere; plain http only to this machine (tests, a local mirror). */
export function assertDownloadUrl(url: URL): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  if (url.protocol === 'http:') throw new InsecureDownloadUrlError(url.toString());
  throw new InvalidDownloadSourceError(url.toString(), `${url.protocol} URLs are not supported`);
}

/** A file that is a catalogue entry's gets its checksum, whichever way it was asked for. */
function withCatalogue(target: DownloadTarget, options: ResolveOptions): DownloadTarget {
  const entry = options.catalogue.findByFileName(target.fileName);
  return entry ? { ...target, catalogueId: entry.id, sha256: entry.sha256 } : target;
}

async function resolveHfUri(source: string, rest: string, options: ResolveOptions): Promise<DownloadTarget> {
  const [path, branch = 'main'] = rest.split('#');
  const parts = path!.split('/').filter(Boolean);
  if (parts.length >= 3) return hfFile(source, `${parts[0]}/${parts[1]}`, parts.slice(2).join('/'), branch, options.huggingFaceEndpoint);
  if (parts.length !== 2) throw new InvalidDownloadSourceError(source, 'an hf: URI is hf:user/repo/file.gguf or hf:user/repo:quant');
  const [repoName, quant] = parts[1]!.split(':');
  const repo = `${parts[0]}/${repoName}`;
  const file = await pickQuantFile(source, repo, quant ?? null, branch, options);
  return hfFile(source, repo, file, branch, options.huggingFaceEndpoint);
}

function hfFile(source: string, repo: string, file: string, branch: string, endpoint: string): DownloadTarget {
  const url = new URL(
    `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(branch)}/${file.split('/').map(encodeURIComponent).join('/')}`
  );
  assertDownloadUrl(url);
  return {
    source,
    url: url.toString(),
    fileName: safeFileName(source, file.slice(file.lastIndexOf('/') + 1)),
    catalogueId: null,
    sha256: null
  };
}

/** `hf:user/repo:Q4_K_M`: the repository's one .gguf file with that quantization in its name (asks the Hugging Face API). */
async function pickQuantFile(source: string, repo: string, quant: string | null, branch: string, options: ResolveOptions): Promise<string> {
  const apiUrl = new URL(`${options.huggingFaceEndpoint.replace(/\/+$/, '')}/api/models/${repo}/tree/${encodeURIComponent(branch)}`);
  assertDownloadUrl(apiUrl);
  let files: string[];
  try {
    const response = await fetch(apiUrl, { signal: options.signal });
    if (!response.ok) throw new Error(`${apiUrl} answered ${response.status}`);
    const body = (await response.json()) as { path?: unknown; type?: unknown }[];
    files = body.filter((item) => item.type === 'file' && typeof item.path === 'string').map((item) => item.path as string);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new InvalidDownloadSourceError(source, `the file list of ${repo} could not be read (${(error as Error).message})`);
  }
  const ggufs = files.filter((file) => file.toLowerCase().endsWith('.gguf'));
  const wanted = quant?.toLowerCase();
  const matching = wanted
    ? ggufs.filter((file) => new RegExp(`(^|[-_.])${escapeRegExp(wanted)}([-_.]|$)`, 'i').test(file.replace(/\.gguf$/i, '')))
    : ggufs;
  if (matching.some((file) => /-\d{5}-of-\d{5}\.gguf$/i.test(file)))
    throw new InvalidDownloadSourceError(source, 'the model is split into several files, which is not supported yet');
  if (matching.length === 1) return matching[0]!;
  throw new InvalidDownloadSourceError(
    source,
    matching.length === 0
      ? `${repo} has no .gguf file${quant ? ` with ${quant} in its name` : ''}`
      : `${repo} has ${matching.length} matching files (${matching.slice(0, 5).join(', ')}); name one: hf:${repo}/FILE.gguf`
  );
}

function fileNameFromUrl(source: string, url: URL): string {
  const last = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
  return safeFileName(source, last);
}

function safeFileName(source: string, name: string): string {
  if (!name.toLowerCase().endsWith('.gguf')) throw new InvalidDownloadSourceError(source, 'it does not name a .gguf file');
  if (!SAFE_FILE_NAME.test(name))
    throw new InvalidDownloadSourceError(source, `the file name "${name.slice(0, 200)}" is not a plain file name`);
  return name;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
