import type { EnclaveApi } from '../../src-preload/contract';
import type { PrivacyMode, PrivacySettings } from '../../src-main/core/shared/types';
import { toUserFacingError, type UserFacingError } from '../lib/errors';
import type { ChatState } from './ChatState.svelte';

export type DictionaryList = 'alwaysRedact' | 'neverRedact';

/** Where a privacy mode applies: the global switch, or one conversation's override. */
export type PrivacyScope = { kind: 'global' } | { kind: 'conversation'; conversationId: string };

export const privacyModeLabels: Record<PrivacyMode, string> = { 'local-only': 'Local only', redact: 'Redact', off: 'Off' };

export const privacyModeDescriptions: Record<PrivacyMode, string> = {
  'local-only': 'Nothing leaves this machine: cloud models are disabled.',
  redact: 'Names, contact details, identifiers and secrets are replaced by placeholders before anything leaves.',
  off: 'Raw text, personal data included, goes to cloud models.'
};

/** The privacy switch: the global mode and dictionary, the open conversation's override, and the Off confirmation. */
export class PrivacyState {
  readonly #api: EnclaveApi;
  readonly #chat: ChatState;

  settings = $state.raw<PrivacySettings | null>(null);
  /** The last failed privacy action (load, mode change, dictionary). */
  error = $state.raw<UserFacingError | null>(null);
  /** Turning privacy Off waits here for the user's explicit confirmation (the dialog shows while set). */
  pendingOff = $state.raw<PrivacyScope | null>(null);
  isSaving = $state(false);

  /** Redact until the saved setting arrives: the core's default, and the safe assumption. */
  globalMode = $derived<PrivacyMode>(this.settings?.mode ?? 'redact');
  /** The open conversation's own mode; null: it follows the global one. */
  conversationMode = $derived.by<PrivacyMode | null>(() => this.#chat.conversation?.privacyMode ?? null);
  /** What applies to the next message: the open conversation's mode, else the global one. */
  effectiveMode = $derived<PrivacyMode>(this.conversationMode ?? this.globalMode);
  isOff = $derived(this.effectiveMode === 'off');

  constructor(api: EnclaveApi, chat: ChatState) {
    this.#api = api;
    this.#chat = chat;
  }

  connect(): () => void {
    const unsubscribe = this.#api.onPrivacySettingsChanged((settings) => {
      this.settings = settings;
    });
    void this.refresh();
    return unsubscribe;
  }

  async refresh(): Promise<void> {
    try {
      this.settings = await this.#api.getPrivacySettings({});
      this.error = null;
    } catch (error) {
      this.error = toUserFacingError(error);
    }
  }

  /** Changes the global mode; Off first asks for confirmation. */
  async requestGlobalMode(mode: PrivacyMode): Promise<void> {
    if (mode === this.globalMode && this.settings) return;
    if (mode === 'off') {
      this.pendingOff = { kind: 'global' };
      return;
    }
    await this.#setGlobalMode(mode, false);
  }

  /** Changes the open conversation's override (null: use the global mode); Off first asks for confirmation. */
  async requestConversationMode(mode: PrivacyMode | null): Promise<void> {
    const conversationId = this.#chat.activeId;
    if (!conversationId || mode === this.conversationMode) return;
    if (mode === 'off') {
      this.pendingOff = { kind: 'conversation', conversationId };
      return;
    }
    await this.#setConversationMode(conversationId, mode, false);
  }

  /** Back to redacting wherever Off comes from: the conversation's override, else the global switch. */
  async redactAgain(): Promise<void> {
    if (this.conversationMode === 'off') await this.requestConversationMode(this.globalMode === 'off' ? 'redact' : null);
    else await this.requestGlobalMode('redact');
  }

  /** The user confirmed: raw text may leave for the pending scope. */
  async confirmOff(): Promise<void> {
    const scope = this.pendingOff;
    this.pendingOff = null;
    if (!scope) return;
    if (scope.kind === 'global') await this.#setGlobalMode('off', true);
    else await this.#setConversationMode(scope.conversationId, 'off', true);
  }

  cancelOff(): void {
    this.pendingOff = null;
  }

  /** Adds a term to the dictionary (it leaves the other list). Returns success. */
  async addTerm(term: string, list: DictionaryList): Promise<boolean> {
    const trimmed = term.trim();
    if (!trimmed) return false;
    try {
      this.settings = await this.#api.addDictionaryTerm({ term: trimmed, list });
      this.error = null;
      return true;
    } catch (error) {
      this.error = toUserFacingError(error);
      return false;
    }
  }

  /** Removes a term from one list of the dictionary. Returns success. */
  async removeTerm(term: string, list: DictionaryList): Promise<boolean> {
    if (!this.settings) return false;
    const remaining = this.settings[list].filter((existing) => existing !== term);
    try {
      this.settings = await this.#api.updatePrivacySettings({ [list]: remaining });
      this.error = null;
      return true;
    } catch (error) {
      this.error = toUserFacingError(error);
      return false;
    }
  }

  async #setGlobalMode(mode: PrivacyMode, confirmPrivacyOff: boolean): Promise<void> {
    this.isSaving = true;
    try {
      this.settings = await this.#api.updatePrivacySettings({ mode, ...(confirmPrivacyOff ? { confirmPrivacyOff } : {}) });
      this.error = null;
    } catch (error) {
      this.error = toUserFacingError(error);
    } finally {
      this.isSaving = false;
    }
  }

  async #setConversationMode(conversationId: string, mode: PrivacyMode | null, confirmPrivacyOff: boolean): Promise<void> {
    // The confirmation was for that conversation: if another one opened meanwhile, change nothing.
    if (conversationId !== this.#chat.activeId) return;
    this.isSaving = true;
    try {
      // A failure shows as the chat's error, above the composer.
      await this.#chat.updateConversation({ privacyMode: mode, ...(confirmPrivacyOff ? { confirmPrivacyOff } : {}) });
    } finally {
      this.isSaving = false;
    }
  }
}
