import { eq } from 'drizzle-orm';
import type { EnclaveDb } from '../db/openDatabase';
import { settings } from '../db/schema';

/** Owns the settings table: JSON values under string keys, merged over defaults on read. */
export class SettingsStore {
  constructor(private readonly db: EnclaveDb) {}

  read<T extends object>(key: string, defaults: T): T {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get();
    return row ? { ...defaults, ...(JSON.parse(row.value) as Partial<T>) } : defaults;
  }

  write<T extends object>(key: string, value: T): void {
    const json = JSON.stringify(value);
    this.db
      .insert(settings)
      .values({ key, value: json })
      .onConflictDoUpdate({ target: settings.key, set: { value: json } })
      .run();
  }
}
