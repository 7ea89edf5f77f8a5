import { existsSync } from 'node:fs';
import { findElectronBinary } from '../../scripts/electronBinary.mjs';
import { buildBrowserBridge } from '../harness/ContractHarness';
import { ensureTestModel } from '../../test/support/writeTestModel';
import { builtRendererIndex } from './paths';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(builtRendererIndex))
    throw new Error(`${builtRendererIndex} is missing: run "npm run build" before the end-to-end tests.`);
  await Promise.all([buildBrowserBridge(), ensureTestModel()]);
  const electron = findElectronBinary();
  if (electron.path === null) console.log(`Electron end-to-end specs will be reported as skipped: ${electron.reason}`);
}
