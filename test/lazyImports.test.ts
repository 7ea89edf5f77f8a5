import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Each takes 50–300 ms to import: the app, the CLI and `enclave serve` load them on first use, not at start.
const deferredModules = ['openai', '@anthropic-ai/sdk', '@google/genai', 'compromise'];

describe('start-up', () => {
  it('imports the provider SDKs and compromise only where they are first needed', () => {
    const root = join(import.meta.dirname, '..');
    const staticImport = new RegExp(`^import\\s+(?!type\\s)[^;]*?\\sfrom\\s+['"](${deferredModules.join('|')})(/[^'"]*)?['"]`, 'm');
    const offenders = listSources(join(root, 'src-main'))
      .filter((file) => staticImport.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
