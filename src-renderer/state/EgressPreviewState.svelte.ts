import type { EnclaveApi } from '../../src-preload/contract';
import type { EgressPreview, EgressRedaction } from '../../src-main/core/shared/types';
import { toUserFacingError, type UserFacingError } from '../lib/errors';
import type { ChatState } from './ChatState.svelte';
import type { DictionaryList, PrivacyState } from './PrivacyState.svelte';

/** One detected value, however many times it appears in what would leave. */
export interface PreviewEntity {
  placeholder: string;
  type: string;
  original: string;
  unredacted: boolean;
  occurrences: number;
}

/**
 * The egress preview of the composer's draft: exactly what a send would put on the wire, the placeholders
 * the user chose to send as original text this time, and the send that uses them.
 */
export class EgressPreviewState {
  isOpen = $state(false);
  /** The draft as previewed (the dialog is modal, so it is also what "Send" sends). */
  text = $state('');
  /** Placeholders to send as their original text, for this message only. */
  unredact = $state.raw<string[]>([]);
  preview = $state.raw<EgressPreview | null>(null);
  isLoading = $state(false);
  error = $state.raw<UserFacingError | null>(null);

  entities = $derived(collectEntities(this.preview));
  unredactedCount = $derived(this.entities.filter((entity) => entity.unredacted).length);
  /** Detection failed (or another block) for a cloud target: a send would be refused too. */
  isBlocked = $derived(this.preview?.refused === true);

  readonly #api: EnclaveApi;
  readonly #chat: ChatState;
  readonly #privacy: PrivacyState;
  #conversationId: string | null = null;
  #sequence = 0;

  constructor(api: EnclaveApi, chat: ChatState, privacy: PrivacyState) {
    this.#api = api;
    this.#chat = chat;
    this.#privacy = privacy;
  }

  /** Previews the composer's draft (opening a new conversation first when none is open, as sending does). */
  async open(): Promise<void> {
    const text = this.#chat.draft.trim();
    if (!text || this.isOpen || this.#chat.isSubmitting || this.#chat.isStreaming) return;
    try {
      this.#conversationId = await this.#chat.ensureConversation();
    } catch (error) {
      this.#chat.error = toUserFacingError(error);
      return;
    }
    this.text = text;
    this.unredact = [];
    this.preview = null;
    this.error = null;
    this.isOpen = true;
    await this.refresh();
  }

  close(): void {
    this.#sequence += 1;
    this.isOpen = false;
    this.isLoading = false;
  }

  async refresh(): Promise<void> {
    const conversationId = this.#conversationId;
    if (!this.isOpen || !conversationId) return;
    const sequence = ++this.#sequence;
    this.isLoading = true;
    try {
      const preview = await this.#api.previewEgress({
        conversationId,
        text: this.text,
        ...(this.unredact.length ? { unredact: this.unredact } : {}),
        ...(this.#chat.useCloud ? { useCloud: true } : {})
      });
      if (sequence !== this.#sequence) return;
      this.preview = preview;
      this.error = null;
    } catch (error) {
      if (sequence === this.#sequence) this.error = toUserFacingError(error);
    } finally {
      if (sequence === this.#sequence) this.isLoading = false;
    }
  }

  /** Sends this value as its original text this time (or redacts it again), and previews the result. */
  async setUnredacted(placeholder: string, unredacted: boolean): Promise<void> {
    const others = this.unredact.filter((existing) => existing !== placeholder);
    this.unredact = unredacted ? [...others, placeholder] : others;
    await this.refresh();
  }

  /** Adds a dictionary term ("always redact" or "never redact") and previews again with it. Returns success. */
  async addTerm(term: string, list: DictionaryList): Promise<boolean> {
    const added = await this.#privacy.addTerm(term, list);
    if (!added) {
      this.error = this.#privacy.error;
      return false;
    }
    await this.refresh();
    return true;
  }

  /** "Never redact this": the value goes into the never-redact list, so it is sent as it is from now on. */
  async neverRedact(entity: PreviewEntity): Promise<boolean> {
    this.unredact = this.unredact.filter((existing) => existing !== entity.placeholder);
    return this.addTerm(entity.original, 'neverRedact');
  }

  /** Sends the previewed draft with the same un-redacted placeholders. */
  async send(): Promise<void> {
    const unredact = this.unredact;
    this.close();
    await this.#chat.send({ unredact });
  }
}

function collectEntities(preview: EgressPreview | null): PreviewEntity[] {
  const byPlaceholder = new Map<string, PreviewEntity>();
  const redactions: EgressRedaction[] = preview?.messages.flatMap((message) => message.redactions) ?? [];
  for (const redaction of redactions) {
    const known = byPlaceholder.get(redaction.placeholder);
    if (known) known.occurrences += 1;
    else
      byPlaceholder.set(redaction.placeholder, {
        placeholder: redaction.placeholder,
        type: redaction.type,
        original: redaction.original,
        unredacted: redaction.unredacted,
        occurrences: 1
      });
  }
  return [...byPlaceholder.values()];
}
