import { asc, eq } from 'drizzle-orm';
import type { EnclaveDb } from '../db/openDatabase';
import { providers } from '../db/schema';
import type { ProviderConfig, ProviderKind } from './CloudClient';
import { ProviderExistsError, UnknownProviderError } from './errors';

export interface StoredProvider extends ProviderConfig {
  models: string[];
  createdAt: number;
}

/** Owns the providers table (names, kinds, endpoints, model lists; never keys). */
export class ProviderStore {
  constructor(private readonly db: EnclaveDb) {}

  list(): StoredProvider[] {
    return this.db.select().from(providers).orderBy(asc(providers.createdAt), asc(providers.name)).all().map(toProvider);
  }

  find(name: string): StoredProvider | null {
    const row = this.db.select().from(providers).where(eq(providers.name, name)).get();
    return row ? toProvider(row) : null;
  }

  get(name: string): StoredProvider {
    const provider = this.find(name);
    if (!provider)
      throw new UnknownProviderError(
        name,
        this.list().map((p) => p.name)
      );
    return provider;
  }

  add(config: ProviderConfig): StoredProvider {
    if (this.find(config.name)) throw new ProviderExistsError(config.name);
    this.db.insert(providers).values({ name: config.name, kind: config.kind, baseUrl: config.baseUrl, createdAt: Date.now() }).run();
    return this.get(config.name);
  }

  setModels(name: string, models: string[]): void {
    this.db
      .update(providers)
      .set({ models: JSON.stringify([...new Set(models)].sort()) })
      .where(eq(providers.name, name))
      .run();
  }

  remove(name: string): void {
    const { changes } = this.db.delete(providers).where(eq(providers.name, name)).run();
    if (changes === 0)
      throw new UnknownProviderError(
        name,
        this.list().map((p) => p.name)
      );
  }
}

function toProvider(row: typeof providers.$inferSelect): StoredProvider {
  return {
    name: row.name,
    kind: row.kind as ProviderKind,
    baseUrl: row.baseUrl,
    models: JSON.parse(row.models) as string[],
    createdAt: row.createdAt
  };
}
