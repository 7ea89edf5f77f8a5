#!/usr/bin/env node
// Thin launcher for the built CLI (out/main/cli.js), which runs under plain Node.
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('enclave: the CLI is not built yet. Run "npm run build" in the Enclave folder first.');
  process.exit(1);
}
await import(cli.href);
