import type { ApiServerStatus } from '../core/shared/types';
import type { Enclave } from '../core/Enclave';
import { startApiServer, type ApiLogger, type ApiServer } from './startApiServer';

export const DEFAULT_API_PORT = 8765;

interface ApiServerSettings {
  enabled: boolean;
  port: number;
}

const SETTINGS_KEY = 'apiServer';
const DEFAULTS: ApiServerSettings = { enabled: false, port: DEFAULT_API_PORT };

/**
 * The local API as a setting of the app: off by default, remembered across restarts, always on
 * loopback. The Electron adapter (and the browser harness) drive it through the contract.
 */
export class ApiServerController {
  private server: ApiServer | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly enclave: Enclave,
    private readonly logger?: Partial<ApiLogger>
  ) {}

  /** Starts the server at app start when the user left it on. */
  async restore(): Promise<ApiServerStatus> {
    if (this.settings().enabled) await this.start(this.settings().port);
    return this.status();
  }

  status(): ApiServerStatus {
    const { enabled, port } = this.settings();
    const tokens = this.enclave.apiTokens;
    return {
      enabled,
      running: this.server !== null,
      url: this.server ? `${this.server.url}/v1` : null,
      port: this.server?.port ?? port,
      token: enabled ? tokens.token() : null,
      tokenSource: tokens.source,
      error: this.lastError
    };
  }

  async setEnabled(enabled: boolean, port = this.settings().port): Promise<ApiServerStatus> {
    this.enclave.settings.write(SETTINGS_KEY, { enabled, port });
    await this.stop();
    if (enabled) await this.start(port);
    return this.status();
  }

  rotateToken(): ApiServerStatus {
    this.enclave.apiTokens.rotate();
    return this.status();
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private settings(): ApiServerSettings {
    return this.enclave.settings.read(SETTINGS_KEY, DEFAULTS);
  }

  private async start(port: number): Promise<void> {
    try {
      this.server = await startApiServer(this.enclave, { port, logger: this.logger });
      this.lastError = null;
    } catch (error) {
      this.server = null;
      this.lastError = (error as Error)?.message ?? String(error);
    }
  }

  private async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }
}
