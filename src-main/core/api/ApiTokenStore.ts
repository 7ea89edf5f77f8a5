import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export const API_TOKEN_FILE = 'api-token';
export const API_TOKEN_ENV = 'ENCLAVE_API_TOKEN';
/** Shorter tokens (from the environment) are refused: they could be guessed. */
export const MIN_API_TOKEN_LENGTH = 16;

export type ApiTokenSource = 'env' | 'file';

export class ApiTokenError extends EnclaveError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.ApiToken, message, options);
  }
}

/** 32 random bytes, base64url: 43 characters. */
export function generateApiToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a presented token with the expected one in constant time: both are hashed first, so
 * neither the contents nor the length of the expected token leak through timing.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

/**
 * The local API's bearer token. One random token per data folder, kept in `api-token` (mode 0600,
 * created on first use); ENCLAVE_API_TOKEN, when set, overrides it. The token is read once and
 * cached; rotate() replaces the file atomically and takes effect at once for every server that
 * checks tokens through this store.
 */
export class ApiTokenStore {
  private cached: string | null = null;

  constructor(
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env
  ) {}

  /** Where the token file lives (whether or not it exists yet). */
  get path(): string {
    return join(this.dataDir, API_TOKEN_FILE);
  }

  get source(): ApiTokenSource {
    return this.env[API_TOKEN_ENV] ? 'env' : 'file';
  }

  /** The token clients must present; creates the token file on first use. */
  token(): string {
    const fromEnv = this.env[API_TOKEN_ENV];
    if (fromEnv) {
      if (fromEnv.length < MIN_API_TOKEN_LENGTH || /\s/.test(fromEnv))
        throw new ApiTokenError(
          `${API_TOKEN_ENV} must be at least ${MIN_API_TOKEN_LENGTH} characters without spaces; unset it to use the generated token.`
        );
      return fromEnv;
    }
    this.cached ??= this.readOrCreate();
    return this.cached;
  }

  /** Checks a presented token in constant time. */
  verify(presented: string): boolean {
    return tokensMatch(presented, this.token());
  }

  /** Replaces the stored token with a new random one; clients holding the old one get 401 from now on. */
  rotate(): string {
    if (this.source === 'env') throw new ApiTokenError(`The API token comes from ${API_TOKEN_ENV}; change that variable instead.`);
    const token = generateApiToken();
    mkdirSync(this.dataDir, { recursive: true });
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: 'wx' });
      renameSync(temp, this.path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw new ApiTokenError(`Could not write the API token to ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    this.cached = token;
    return token;
  }

  private readOrCreate(): string {
    mkdirSync(this.dataDir, { recursive: true });
    const token = generateApiToken();
    try {
      // 'wx': two processes starting at once cannot both create it; the loser reads the winner's.
      writeFileSync(this.path, `${token}\n`, { mode: 0o600, flag: 'wx' });
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new ApiTokenError(`Could not create the API token file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    const stats = lstatSync(this.path);
    if (!stats.isFile()) throw new ApiTokenError(`${this.path} is not a regular file; remove it and start again to get a new API token.`);
    // Someone loosened the permissions: tighten them again (no effect on Windows, where ACLs apply).
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) chmodSync(this.path, 0o600);
    const stored = readFileSync(this.path, 'utf8').trim();
    if (!stored) return this.rotate();
    if (stored.length < MIN_API_TOKEN_LENGTH || /\s/.test(stored))
      throw new ApiTokenError(`The API token in ${this.path} is too short or malformed; delete the file to get a new one.`);
    return stored;
  }
}
