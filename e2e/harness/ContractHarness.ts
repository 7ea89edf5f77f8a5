import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { createCallHandlers, dispatchCall, forwardEvents } from '../../src-main/bridge/createCallHandlers';
import { Enclave } from '../../src-main/core/Enclave';
import { ApiServerController } from '../../src-main/server/ApiServerController';
import { ErrorCode } from '../../src-main/core/shared/errorCodes';

const repoRoot = resolve(import.meta.dirname, '../..');
const bridgeBundle = join(repoRoot, 'test-results', 'harness', 'browserBridge.js');

/** Bundles the in-page half of the harness (exposeApi over a Playwright binding) once per run. */
export async function buildBrowserBridge(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: join(repoRoot, 'test-results', 'harness'),
      emptyOutDir: true,
      lib: {
        entry: join(import.meta.dirname, 'browserBridge.ts'),
        formats: ['iife'],
        name: 'enclaveBridge',
        fileName: () => 'browserBridge.js'
      }
    }
  });
}

/**
 * The real core for one test (its own data folder), the built renderer served on loopback, and
 * the contract wired between them exactly as the Electron adapter wires IPC.
 */
export class ContractHarness {
  readonly openedLinks: string[] = [];
  readonly apiServer: ApiServerController;
  chooseModelFileAnswer: string | null = null;
  /** What the document file picker answers. */
  chooseDocumentFilesAnswer: string[] = [];
  private detachPage: (() => void) | null = null;

  private constructor(
    readonly enclave: Enclave,
    readonly server: PreviewServer,
    private readonly ownsDataDir: boolean
  ) {
    this.apiServer = new ApiServerController(enclave);
  }

  static async start({ dataDir }: { dataDir?: string } = {}): Promise<ContractHarness> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'enclave-e2e-'));
    const enclave = Enclave.open({ dataDir: dir });
    // The app's own start-up policy, as src-main/electron/main.ts applies it.
    enclave.startHost();
    const server = await preview({
      configFile: false,
      root: join(repoRoot, 'out'),
      build: { outDir: 'renderer' },
      preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
      logLevel: 'warn'
    });
    return new ContractHarness(enclave, server, !dataDir);
  }

  get url(): string {
    const address = this.server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error('preview server has no address');
    return `http://127.0.0.1:${address.port}/`;
  }

  /** Installs the bridge in a page; call before the first navigation. */
  async attach(page: Page): Promise<void> {
    const handlers = createCallHandlers(this.enclave, {
      appVersion: 'e2e',
      apiServer: this.apiServer,
      chooseModelFile: async () => this.chooseModelFileAnswer,
      chooseDocumentFiles: async () => this.chooseDocumentFilesAnswer,
      openExternal: async (url) => {
        this.openedLinks.push(url.toString());
      }
    });
    await page.exposeBinding('__enclaveInvoke', ({ frame }, channel: string, args: unknown) => {
      // Same rule as the Electron adapter: only the app's own main frame may call.
      if (frame !== page.mainFrame() || !frame.url().startsWith(this.url))
        return { ok: false, error: { code: ErrorCode.Forbidden, message: 'Call refused: unknown sender.' } };
      return dispatchCall(handlers, channel, args);
    });
    await page.addInitScript({ path: bridgeBundle });
    // Events go to the page in batches, one evaluate per frame: one round trip per token would
    // make the harness, not the app, the bottleneck.
    let batch: [string, unknown][] = [];
    let flushTimer: NodeJS.Timeout | null = null;
    const flush = () => {
      flushTimer = null;
      const events = batch;
      batch = [];
      page
        .evaluate((pending) => pending.forEach(([channel, payload]) => window.__enclaveEmit(channel, payload)), events)
        .catch(() => {
          // The page is navigating or closed; the app reloads its state from the core on start.
        });
    };
    this.detachPage = forwardEvents(this.enclave, (channel, payload) => {
      batch.push([channel, payload]);
      flushTimer ??= setTimeout(flush, 16);
    });
  }

  async stop(): Promise<void> {
    this.detachPage?.();
    await this.apiServer.dispose();
    await this.enclave.dispose();
    await new Promise<void>((done) => this.server.httpServer.close(() => done()));
    if (this.ownsDataDir) rmSync(this.enclave.dataDir, { recursive: true, force: true });
  }
}
