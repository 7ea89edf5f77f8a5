import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
export const builtRendererIndex = join(repoRoot, 'out', 'renderer', 'index.html');
