import type { PiiType } from '../types';

export type PseudonymVaultEntry = {
  /** E.g. `"[PERSON_1]"` */
  placeholder: string;

  type: PiiType;

  /** The original text, spelled as it was first seen */
  value: string;
};

/**
 * Storage of one conversation's placeholder mapping. Entries are append-only: once a placeholder is
 * handed out it always means the same value, so an implementation can insert rows and never update them.
 */
export interface PseudonymVault {
  /** All entries of the conversation, in the order they were created */
  load(): readonly PseudonymVaultEntry[];

  /** Persists entries created since the last call; throwing makes the redaction that created them fail */
  save(newEntries: readonly PseudonymVaultEntry[]): void;
}

export class InMemoryPseudonymVault implements PseudonymVault {
  private readonly _entries: PseudonymVaultEntry[];

  public constructor(entries: readonly PseudonymVaultEntry[] = []) {
    this._entries = [...entries];
  }

  public load(): readonly PseudonymVaultEntry[] {
    return [...this._entries];
  }

  public save(newEntries: readonly PseudonymVaultEntry[]) {
    this._entries.push(...newEntries);
  }
}
