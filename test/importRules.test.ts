// The core runs under plain Node and knows nothing of its adapters: nothing under src-main/core imports
// electron, the preload, the renderer or an adapter (bridge, electron, server, cli), statically or dynamically.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const core = join(root, 'src-main/core');
const forbiddenFolders = ['src-preload', 'src-renderer', 'src-main/bridge', 'src-main/electron', 'src-main/server', 'src-main/cli'];
const specifiers = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : /\.(ts|mts|js)$/.test(entry.name) ? [path] : [];
  });
}

/** What a file may not import, one line per offence. */
function forbiddenImports(file: string, text: string): string[] {
  const offences: string[] = [];
  for (const [, specifier] of text.matchAll(specifiers)) {
    if (specifier === 'electron' || specifier.startsWith('electron/')) offences.push(`${relative(root, file)} imports ${specifier}`);
    if (!specifier.startsWith('.')) continue;
    const target = relative(root, resolve(dirname(file), specifier)).replaceAll('\\', '/');
    if (forbiddenFolders.some((folder) => target === folder || target.startsWith(`${folder}/`)))
      offences.push(`${relative(root, file)} imports ${target}`);
  }
  return offences;
}

describe('import rules', () => {
  it('the core imports nothing from src-preload, src-renderer, electron or the adapters', () => {
    const files = sources(core);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => forbiddenImports(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('the rule sees every form of import', () => {
    const file = join(core, 'chat/Example.ts');
    const text = [
      "import type { X } from '../../../src-preload/contract';",
      "const y = await import('../../../src-renderer/main');",
      "import 'electron';",
      "const z = require('../../server/http');",
      "import { ok } from '../shared/types';"
    ].join('\n');
    expect(forbiddenImports(file, text)).toEqual([
      'src-main/core/chat/Example.ts imports src-preload/contract',
      'src-main/core/chat/Example.ts imports src-renderer/main',
      'src-main/core/chat/Example.ts imports electron',
      'src-main/core/chat/Example.ts imports src-main/server/http'
    ]);
  });
});
