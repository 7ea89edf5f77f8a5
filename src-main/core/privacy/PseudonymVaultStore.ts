import { asc, eq } from 'drizzle-orm';
import type { EnclaveDb } from '../db/openDatabase';
import { pseudonyms } from '../db/schema';
import type { PseudonymVault, PseudonymVaultEntry } from './pseudonymization/PseudonymVault';
import type { PiiType } from './types';

/** Owns the pseudonyms table: one append-only vault per conversation, deleted with it. */
export class PseudonymVaultStore {
  constructor(private readonly db: EnclaveDb) {}

  forConversation(conversationId: string): PseudonymVault {
    return {
      load: () =>
        this.db
          .select({ placeholder: pseudonyms.placeholder, type: pseudonyms.type, value: pseudonyms.value })
          .from(pseudonyms)
          .where(eq(pseudonyms.conversationId, conversationId))
          .orderBy(asc(pseudonyms.seq))
          .all()
          .map((row): PseudonymVaultEntry => ({ ...row, type: row.type as PiiType })),
      save: (entries) => {
        if (entries.length === 0) return;
        this.db
          .insert(pseudonyms)
          .values(entries.map((entry) => ({ conversationId, ...entry })))
          .run();
      }
    };
  }
}
