import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelServer } from './support/modelServer';
import { useTempDir } from './support/tempDir';
import { ensureTestModel } from './support/writeTestModel';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const tempDir = useTempDir('enclave-models-cli-');
let modelPath: string;
let server: ModelServer;

/** The CLI from its sources (tsx), as `enclave models …` runs it. */
function runModels(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/cli.ts', 'models', ...args, '--data-dir', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, HOME: dataDir, XDG_CONFIG_HOME: join(dataDir, '.config') },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  modelPath = await ensureTestModel();
  server = await ModelServer.start(modelPath);
});

afterAll(async () => {
  await server.close();
});

describe('enclave models', () => {
  it('pull: a cut connection exits 1 and keeps the partial file; the same command again resumes with a Range request', async () => {
    const dataDir = tempDir();
    const url = `${server.url}/cut/model.gguf`;
    const first = await runModels(['pull', url], dataDir);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('The partial file is kept');
    const partial = join(dataDir, 'models', 'model.gguf.part');
    const kept = statSync(partial).size;
    expect(kept).toBeGreaterThan(0);

    const second = await runModels(['pull', url], dataDir);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('downloaded model.gguf');
    // Not a terminal: progress comes as whole lines.
    expect(second.stdout).toMatch(/model\.gguf: \d+% /);
    expect(server.requestsTo('/cut/model.gguf').map((request) => request.headers.range)).toEqual([undefined, `bytes=${kept}-`]);
    expect(readFileSync(join(dataDir, 'models', 'model.gguf')).equals(server.body)).toBe(true);
    expect(existsSync(partial)).toBe(false);

    const listed = await runModels(['list', '--json'], dataDir);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        id: 'model',
        fileName: 'model.gguf',
        sizeBytes: server.body.length,
        architecture: 'llama',
        quantization: 'F32',
        path: join(dataDir, 'models', 'model.gguf')
      })
    ]);
    const plain = await runModels(['list'], dataDir);
    expect(plain.stdout).toContain(`model\t`);
    expect(plain.stdout).toContain('llama');

    const removed = await runModels(['rm', 'model'], dataDir);
    expect(removed.code).toBe(0);
    expect(existsSync(join(dataDir, 'models', 'model.gguf'))).toBe(false);
    const missing = await runModels(['rm', 'model'], dataDir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No model "model"');
  });

  it('pull: a 404 exits 1 with the status in the message', async () => {
    const result = await runModels(['pull', `${server.url}/missing.gguf`], tempDir());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('404');
  });

  it('import: copies or links a .gguf file, and refuses a file that is not GGUF', async () => {
    const dataDir = tempDir();
    const linked = await runModels(['import', modelPath, '--link'], dataDir);
    expect(linked.stderr).toBe('');
    expect(linked.code).toBe(0);
    const name = modelPath.slice(modelPath.lastIndexOf('/') + 1);
    expect(lstatSync(join(dataDir, 'models', name)).isSymbolicLink()).toBe(true);
    const again = await runModels(['import', modelPath], dataDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    const notGguf = join(dataDir, 'notes.gguf');
    writeFileSync(notGguf, 'just some text, not a model');
    const refused = await runModels(['import', notGguf], dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not a readable GGUF model file');
    expect(existsSync(join(dataDir, 'models', 'notes.gguf'))).toBe(false);
  });

  it('refuses a usage error with exit code 2', async () => {
    const result = await runModels(['pull'], tempDir());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: enclave models pull');
  });
});
