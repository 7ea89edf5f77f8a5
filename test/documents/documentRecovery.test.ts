import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, Enclave } from '../../src-main/core/Enclave';
import { useTempDir } from '../support/tempDir';
import { makePdf } from './documentFixtures';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's loader by URL: the CLI run starts in a folder outside the repository. */
const TSX = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
const tempDir = useTempDir('enclave-documents-crash-');

/** Runs the child host until it reports a document parsing, then kills it (SIGKILL: no cleanup at all). */
function runAndKillWhileParsing(dataDir: string, paths: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, join(repoRoot, 'test/documents/ingestChild.ts'), dataDir, ...paths], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit']
    });
    let output = '';
    let parsing = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PARSING (\S+)/.exec(output);
      if (match && !parsing) {
        parsing = match[1]!;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the child exited on its own: ${output}`));
      resolve(parsing);
    });
  });
}

describe('ingestion crash safety', () => {
  it('a host killed mid-parse leaves a consistent database; the next start resumes or fails each document, nothing else is lost', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const pages = Array.from({ length: 150 }, (_, i) => [`Page ${i + 1} of the long report.`, 'More words on this page.']);
    writeFileSync(join(dir, 'long.pdf'), await makePdf(pages));
    writeFileSync(join(dir, 'second.md'), '# Second\n\nWaiting in the queue.');
    writeFileSync(join(dir, 'third.md'), '# Third\n\nAlso waiting.');

    const parsing = await runAndKillWhileParsing(dataDir, [join(dir, 'long.pdf'), join(dir, 'second.md'), join(dir, 'third.md')]);

    // As the crash left it: the file is whole, the document is mid-parse with no chunks, the others queued.
    const raw = new Database(join(dataDir, DATABASE_FILE));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const queued = raw.prepare('SELECT id FROM documents ORDER BY seq').pluck().all() as string[];
    expect(queued).toHaveLength(3);
    expect(parsing).toBe(queued[0]);
    expect(raw.prepare('SELECT status FROM documents WHERE id = ?').pluck().get(parsing)).toBe('parsing');
    expect(raw.prepare('SELECT count(*) FROM document_chunks').pluck().get()).toBe(0);
    raw.close();
    // What a crash during intake leaves: a half-copied upload and a copy whose row was never written.
    const documentsDir = join(dataDir, 'documents');
    const past = new Date(Date.now() - 60_000);
    for (const name of ['.incoming-123', 'a0b1c2d3-orphan']) {
      writeFileSync(join(documentsDir, name), 'partial');
      utimesSync(join(documentsDir, name), past, past);
    }
    // And one document whose stored copy is gone.
    rmSync(join(documentsDir, queued[2]!));

    const enclave = Enclave.open({ dataDir, gpu: false });
    try {
      const { recoveredDocuments } = enclave.startHost({ reloadLastModel: false });
      expect(await recoveredDocuments).toEqual({ resumed: 2, failed: 1 });
      const [long, second, third] = await enclave.documents.waitUntilSettled(queued);
      expect(long).toMatchObject({ status: 'ready', pages: 150, error: null });
      expect(enclave.documents.listChunks(long!.id).map((chunk) => chunk.page)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
      expect(second).toMatchObject({ status: 'ready', chunkCount: 1 });
      expect(third).toMatchObject({ status: 'failed', error: 'The stored copy of the file is missing; add the file again.' });
      expect(readdirSync(documentsDir).sort()).toEqual([queued[0], queued[1]].sort());
      expect(enclave.conversations.list().map((conversation) => conversation.title)).toEqual(['Kept across the crash']);
    } finally {
      await enclave.dispose();
    }
  });

  it('enclave ingest: one line per file and exit code 1 when one failed', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.md'), '# Notes\n\nText.');
    writeFileSync(join(dir, 'junk.bin'), Buffer.from([0, 1, 2, 3]));
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', TSX, join(repoRoot, 'src-main/cli/cli.ts'), 'ingest', '--data-dir', join(dir, 'data'), ...args],
        {
          cwd: dir,
          encoding: 'utf8'
        }
      );
    const first = run('--collection', 'Notes', 'notes.md', 'junk.bin');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(1);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ready {6}.*notes\.md → [0-9a-f-]{36} \(1 chunk\)$/);
    expect(lines[1]).toMatch(/^refused {4}.*junk\.bin: The file is binary data/);
    const second = run('--collection', 'Notes', '--json', 'notes.md');
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject([{ duplicate: true, document: { status: 'ready', collection: 'Notes' } }]);
    expect(existsSync(join(dir, 'data', 'documents'))).toBe(true);
  });
});
