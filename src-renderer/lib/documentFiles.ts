// What the renderer does with dropped or picked files before they reach the core: which are documents,
// which are models, walking dropped folders, and splitting byte uploads into calls of a bounded size.
import { MAX_UPLOAD_BYTES } from '../../src-preload/contract';

/** The extensions the library reads (src-main/core/documents/sniffFormat.ts KNOWN_EXTENSIONS; a test keeps them equal). */
export const DOCUMENT_EXTENSIONS = ['.pdf', '.docx', '.md', '.markdown', '.txt', '.text', '.html', '.htm', '.xhtml', '.csv', '.tsv'];

/** For the file picker's `accept`. */
export const DOCUMENT_ACCEPT = DOCUMENT_EXTENSIONS.join(',');

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
};

export const isModelFileName = (name: string) => extensionOf(name) === '.gguf';
export const isDocumentFileName = (name: string) => DOCUMENT_EXTENSIONS.includes(extensionOf(name));

/** One call's worth of byte uploads: the contract takes 100 files a call; the size cap keeps one message reasonable. */
const MAX_FILES_PER_UPLOAD = 100;
const MAX_BYTES_PER_UPLOAD = 64 * 1024 * 1024;

/** Groups files into upload calls of at most 100 files and about 64 MiB (a bigger file goes alone). */
export function uploadBatches<T extends { size: number }>(files: T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const file of files) {
    if (current.length && (current.length === MAX_FILES_PER_UPLOAD || bytes + file.size > MAX_BYTES_PER_UPLOAD)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** Why a file is refused before it is sent, or null: the contract's per-file limit. */
export const uploadRefusal = (file: { name: string; size: number }): string | null =>
  file.size > MAX_UPLOAD_BYTES ? `${file.name} is larger than the ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB limit for a dropped file.` : null;

/** A dropped folder: its File (Electron gives it a path, and the core walks it) and its entry to walk here otherwise. */
export interface DroppedFolder {
  file: File | null;
  entry: FileSystemDirectoryEntry;
}

/** What a drop carries: plain files, and folders where the browser gives them. */
export interface DroppedItems {
  files: File[];
  folders: DroppedFolder[];
}

/**
 * Reads a drop synchronously (a DataTransfer's items are gone once the event handler returns): folders as
 * entries to walk later, everything else as Files.
 */
export function readDrop(dataTransfer: DataTransfer): DroppedItems {
  const files: File[] = [];
  const folders: DroppedFolder[] = [];
  const items = [...dataTransfer.items].filter((item) => item.kind === 'file');
  for (const item of items) {
    const entry = item.webkitGetAsEntry?.() ?? null;
    const file = item.getAsFile();
    if (entry?.isDirectory) folders.push({ file, entry: entry as FileSystemDirectoryEntry });
    else if (file) files.push(file);
  }
  // Some drags (synthetic ones, older engines) list files but no items.
  if (items.length === 0) files.push(...dataTransfer.files);
  return { files, folders };
}

/** The document files under a dropped folder (hidden files and folders skipped, like the core's folder walk). */
export async function walkFolder(folder: FileSystemDirectoryEntry): Promise<File[]> {
  const found: File[] = [];
  const pending: FileSystemDirectoryEntry[] = [folder];
  while (pending.length) {
    const directory = pending.shift()!;
    for (const entry of await readAllEntries(directory)) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory) pending.push(entry as FileSystemDirectoryEntry);
      else if (isDocumentFileName(entry.name)) found.push(await fileOf(entry as FileSystemFileEntry));
    }
  }
  return found;
}

/** readEntries answers in pages (100 entries in Chromium) until it answers an empty one. */
async function readAllEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const page = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (page.length === 0) return all;
    all.push(...page);
  }
}

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));
