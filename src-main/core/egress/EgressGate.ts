// The one way out of the machine. Provider clients are created here and nowhere else (a test walks the
// imports to prove it), and `send` only accepts a request that `prepare` built under the privacy policy.
import type { EgressRecord, EgressRedaction, PrivacyMode } from '../shared/types';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { EgressLedger } from './EgressLedger';
import type { PrivacyService } from '../privacy/PrivacyService';
import type { PseudonymVaultStore } from '../privacy/PseudonymVaultStore';
import { InMemoryPseudonymVault } from '../privacy/pseudonymization/PseudonymVault';
import { Pseudonymizer } from '../privacy/pseudonymization/Pseudonymizer';
import { pseudonymizationSystemMessage } from '../privacy/pseudonymization/pseudonymizationSystemMessage';
import { ProviderAbortedError } from '../providers/errors';
import { KeychainUnavailableError } from '../providers/keys/errors';
import { costOf, type PriceTable } from '../providers/PriceTable';
import type { ProviderKeys } from '../providers/ProviderKeys';
import type { CloudChatRequest, CloudMessage, CloudUsage } from '../providers/CloudClient';
import { createCloudClient } from '../providers/createCloudClient';
import type { StoredProvider } from '../providers/ProviderStore';
import { EgressBlockedError } from './errors';

export interface EgressRequest {
  /** Whose pseudonym vault to use; null: a throwaway one (API calls outside a conversation). */
  conversationId: string | null;
  mode: PrivacyMode;
  messages: CloudMessage[];
  /** Placeholders the user chose to send as their original text, this time only. */
  unredact?: readonly string[];
  signal?: AbortSignal;
}

/** A request that passed the policy: `messages` is exactly what will be sent. */
export interface PreparedEgress {
  readonly mode: PrivacyMode;
  readonly conversationId: string | null;
  readonly messages: readonly CloudMessage[];
  /** Per message: where placeholders (or un-redacted originals) sit in the text that leaves. */
  readonly redactions: readonly (readonly EgressRedaction[])[];
  readonly entityCounts: Readonly<Record<string, number>>;
}

export interface CloudSendOptions {
  source: EgressRecord['source'];
  timeoutMs: number;
  signal?: AbortSignal;
  sampling?: Pick<CloudChatRequest, 'temperature' | 'topP' | 'maxTokens' | 'stop'>;
  /** Restored text (original values back in place of placeholders) as it streams. */
  onTextChunk?: (text: string) => void;
}

export interface CloudReply {
  /** The reply with original values restored. */
  text: string;
  finishReason: 'stop' | 'length' | 'other';
  usage: CloudUsage | null;
  costUsd: number | null;
  record: EgressRecord;
  timeToFirstTokenMs: number | null;
  totalMs: number;
}

interface GateDependencies {
  privacy: PrivacyService;
  vaults: PseudonymVaultStore;
  ledger: EgressLedger;
  keys: ProviderKeys;
  prices: PriceTable;
  events: EnclaveEvents;
}

export class EgressGate {
  /** Requests this gate prepared, with the pseudonymizer that restores their replies (null when privacy is Off). */
  private readonly prepared = new WeakMap<PreparedEgress, Pseudonymizer | null>();

  constructor(private readonly deps: GateDependencies) {}

  /**
   * Applies the privacy mode: Local only refuses, Redact replaces personal data with placeholders (failing closed
   * when detection throws or runs out of time), Off passes text through. Sends nothing.
   */
  async prepare(request: EgressRequest): Promise<PreparedEgress> {
    assertMayLeave(request.mode);
    if (request.mode === 'off') {
      const prepared: PreparedEgress = {
        mode: 'off',
        conversationId: request.conversationId,
        messages: request.messages.map((m) => ({ ...m })),
        redactions: request.messages.map(() => []),
        entityCounts: {}
      };
      this.prepared.set(prepared, null);
      return prepared;
    }

    const vault = request.conversationId ? this.deps.vaults.forConversation(request.conversationId) : new InMemoryPseudonymVault();
    const unredact = new Set(request.unredact ?? []);
    const messages: CloudMessage[] = [];
    const redactions: EgressRedaction[][] = [];
    const entityCounts: Record<string, number> = {};
    let pseudonymizer: Pseudonymizer;
    try {
      pseudonymizer = new Pseudonymizer({ vault });
      for (const message of request.messages) {
        const entities = await this.deps.privacy.detect(message.content, { signal: request.signal });
        const { replacements } = pseudonymizer.redactEntities(message.content, entities);
        const rebuilt = rebuild(message.content, replacements, unredact);
        messages.push({ role: message.role, content: rebuilt.text });
        redactions.push(rebuilt.redactions);
        for (const r of rebuilt.redactions) if (!r.unredacted) entityCounts[r.type] = (entityCounts[r.type] ?? 0) + 1;
      }
    } catch (error) {
      throw new EgressBlockedError(
        'detection-failed',
        `Personal data detection failed (${(error as Error)?.message ?? String(error)}), so nothing was sent. Try a shorter message, or use the local model.`,
        { cause: error }
      );
    }

    // Tell the model that placeholders are names to keep, in the system message.
    if (messages[0]?.role === 'system')
      messages[0] = { role: 'system', content: `${messages[0].content}\n\n${pseudonymizationSystemMessage}` };
    else {
      messages.unshift({ role: 'system', content: pseudonymizationSystemMessage });
      redactions.unshift([]);
    }
    const prepared: PreparedEgress = { mode: 'redact', conversationId: request.conversationId, messages, redactions, entityCounts };
    this.prepared.set(prepared, pseudonymizer);
    return prepared;
  }

  /** Sends a prepared request to one cloud model, records it in the egress ledger and restores the reply. */
  async send(prepared: PreparedEgress, provider: StoredProvider, model: string, options: CloudSendOptions): Promise<CloudReply> {
    if (!this.prepared.has(prepared)) throw new Error('EgressGate.send only accepts requests prepared by this gate');
    const pseudonymizer = this.prepared.get(prepared)!;
    const client = createCloudClient(provider, await this.keyFor(provider));
    const request: CloudChatRequest = { model, messages: prepared.messages.map((m) => ({ ...m })), ...definedOnly(options.sampling ?? {}) };
    const record = this.record({
      provider,
      model,
      conversationId: prepared.conversationId,
      source: options.source,
      mode: prepared.mode,
      payload: request,
      entityCounts: { ...prepared.entityCounts }
    });

    const restorer = pseudonymizer?.createStreamRestorer();
    const started = performance.now();
    let firstTokenAt: number | null = null;
    const emit = (text: string) => {
      if (!text) return;
      firstTokenAt ??= performance.now();
      options.onTextChunk?.(text);
    };
    try {
      const result = await client.chat(request, {
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        onTextChunk: (chunk) => emit(restorer ? restorer.push(chunk) : chunk)
      });
      if (restorer) emit(restorer.end());
      const costUsd = result.usage ? costOf(this.deps.prices.priceOf(provider.kind, provider.name, model), result.usage) : null;
      const finished = this.finish(record.id, {
        status: 'completed',
        promptTokens: result.usage?.promptTokens,
        completionTokens: result.usage?.completionTokens,
        costUsd
      });
      return {
        text: pseudonymizer ? pseudonymizer.restore(result.text) : result.text,
        finishReason: result.finishReason,
        usage: result.usage,
        costUsd,
        record: finished,
        timeToFirstTokenMs: firstTokenAt === null ? null : firstTokenAt - started,
        totalMs: performance.now() - started
      };
    } catch (error) {
      this.finish(record.id, {
        status: error instanceof ProviderAbortedError ? 'aborted' : 'failed',
        error: (error as Error)?.message ?? String(error)
      });
      throw error;
    }
  }

  /** A cheap authenticated call (the provider's model list), to test a key. Recorded like any egress. */
  async listModels(provider: StoredProvider, mode: PrivacyMode, { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal }) {
    assertMayLeave(mode);
    const client = createCloudClient(provider, await this.keyFor(provider));
    const record = this.record({
      provider,
      model: '',
      conversationId: null,
      source: 'key-test',
      mode,
      payload: { request: 'list models' },
      entityCounts: {}
    });
    try {
      const models = await client.listModels({ timeoutMs, signal });
      this.finish(record.id, { status: 'completed' });
      return models;
    } catch (error) {
      this.finish(record.id, { status: 'failed', error: (error as Error)?.message ?? String(error) });
      throw error;
    }
  }

  /** A keyless OpenAI-compatible server (Ollama, LM Studio) works without a keychain; every other kind needs one. */
  private async keyFor(provider: StoredProvider): Promise<string | null> {
    try {
      return await this.deps.keys.get(provider.name);
    } catch (error) {
      if (provider.kind === 'openai-compatible' && error instanceof KeychainUnavailableError) return null;
      throw error;
    }
  }

  private record(entry: {
    provider: StoredProvider;
    model: string;
    conversationId: string | null;
    source: EgressRecord['source'];
    mode: PrivacyMode;
    payload: unknown;
    entityCounts: Record<string, number>;
  }): EgressRecord {
    const record = this.deps.ledger.record({
      provider: entry.provider.name,
      model: entry.model,
      conversationId: entry.conversationId,
      source: entry.source,
      privacyMode: entry.mode,
      payload: entry.payload,
      entityCounts: entry.entityCounts
    });
    this.deps.events.emit('egressRecorded', { record });
    return record;
  }

  private finish(id: string, outcome: Parameters<EgressLedger['finish']>[1]): EgressRecord {
    const record = this.deps.ledger.finish(id, outcome);
    this.deps.events.emit('egressRecorded', { record });
    return record;
  }
}

function assertMayLeave(mode: PrivacyMode): void {
  if (mode === 'local-only')
    throw new EgressBlockedError(
      'local-only',
      'Privacy is set to Local only: nothing leaves this machine, so cloud models are disabled. Change it in the privacy switch to use one.'
    );
}

/** The redacted text, with the chosen placeholders put back to their original text, and where each sits in it. */
function rebuild(
  original: string,
  replacements: readonly { placeholder: string; type: string; start: number; end: number }[],
  unredact: ReadonlySet<string>
): { text: string; redactions: EgressRedaction[] } {
  let text = '';
  let index = 0;
  const redactions: EgressRedaction[] = [];
  for (const r of replacements) {
    text += original.slice(index, r.start);
    const value = original.slice(r.start, r.end);
    const unredacted = unredact.has(r.placeholder);
    const shown = unredacted ? value : r.placeholder;
    redactions.push({
      start: text.length,
      end: text.length + shown.length,
      type: r.type,
      placeholder: r.placeholder,
      original: value,
      unredacted
    });
    text += shown;
    index = r.end;
  }
  return { text: text + original.slice(index), redactions };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
