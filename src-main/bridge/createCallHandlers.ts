import { Readable } from 'node:stream';
import type { z } from 'zod';
import {
  callChannel,
  callNames,
  calls,
  eventChannel,
  eventNames,
  type BridgeError,
  type BridgeResponse,
  type CallName,
  type CallResult,
  type Calls
} from '../../src-preload/contract';
import type { ExchangeStarted, IngestFileResult } from '../core/shared/types';
import type { Exchange } from '../core/chat/ChatService';
import type { ApiServerController } from '../server/ApiServerController';
import type { Enclave } from '../core/Enclave';
import { readDocumentView } from '../core/documents/readDocumentView';
import { DocumentRefusedError } from '../core/documents/errors';
import { EnclaveError, InvalidArgumentsError } from '../core/EnclaveError';
import { ErrorCode } from '../core/shared/errorCodes';

/** What differs between adapters: the Electron one shows native dialogs, the test harness answers itself. */
export interface BridgePorts {
  appVersion: string;
  apiServer: Pick<ApiServerController, 'status' | 'setEnabled' | 'rotateToken'>;
  chooseModelFile(): Promise<string | null>;
  /** Absolute paths of the documents picked; [] when cancelled. */
  chooseDocumentFiles(): Promise<string[]>;
  openExternal(url: URL): Promise<void>;
}

export type CallHandlers = {
  [N in CallName]: (args: z.output<Calls[N]['args']>) => Promise<CallResult<N>> | CallResult<N>;
};

export class ExternalLinkRefusedError extends EnclaveError {
  constructor(readonly url: string) {
    super(ErrorCode.LinkRefused, `Only http and https links can be opened (refused: ${url.slice(0, 200)}).`);
  }
}

/** Maps every contract call onto the core. Shared by the Electron adapter and the browser test harness. */
export function createCallHandlers(enclave: Enclave, ports: BridgePorts): CallHandlers {
  const { chat, conversations, engine, cloud, router, privacy, egressLedger, models, downloads } = enclave;
  return {
    getAppInfo: () => ({ version: ports.appVersion, dataDir: enclave.dataDir, platform: process.platform }),
    getEngineStatus: () => engine.status(),
    chooseModelFile: () => ports.chooseModelFile(),
    loadModel: ({ id, path, ...options }) => models.load({ id, path }, options),
    unloadModel: () => engine.unloadModel(),
    tuneThreads: (args) => engine.tuneThreads(args),
    getEngineSettings: () => engine.getSettings(),
    updateEngineSettings: (args) => engine.updateSettings(args),
    listCatalogue: () => models.catalogueView(),
    refreshCatalogue: async ({ path }) => {
      await enclave.modelCatalogue.refresh(path);
      enclave.events.emit('modelsChanged', {});
      return models.catalogueView();
    },
    recommendModel: () => models.recommend(),
    listModelFiles: () => models.list(),
    inspectModelFile: ({ path }) => models.inspect(path),
    importModel: ({ path, mode }) => models.import(path, mode),
    removeModelFile: ({ id }) => models.remove(id),
    estimateLoad: ({ id, path, options }) => models.estimate({ id, path }, options),
    startDownload: ({ source }) => downloads.start(source),
    pauseDownload: ({ id }) => downloads.pause(id),
    resumeDownload: ({ id }) => downloads.resume(id),
    cancelDownload: ({ id }) => downloads.cancel(id),
    listDownloads: () => downloads.list(),
    dismissDownload: ({ id }) => downloads.dismiss(id),
    listConversations: ({ query }) => conversations.list(query),
    createConversation: (args) => chat.createConversation(args),
    getConversation: ({ id }) => conversations.get(id),
    renameConversation: ({ id, title }) => chat.renameConversation(id, title),
    deleteConversation: ({ id }) => chat.deleteConversation(id),
    updateConversationSettings: ({ id, ...update }) => chat.updateSettings(id, update),
    sendMessage: ({ conversationId, text, ...options }) => started(chat.send(conversationId, text, options)),
    previewEgress: ({ conversationId, text, ...options }) => chat.preview(conversationId, text, options),
    stopGeneration: ({ conversationId }) => chat.stop(conversationId),
    regenerate: ({ conversationId }) => started(chat.regenerate(conversationId)),
    editMessage: ({ messageId, text }) => started(chat.editAndResend(messageId, text)),
    getApiServerStatus: () => ports.apiServer.status(),
    setApiServerEnabled: ({ enabled, port }) => ports.apiServer.setEnabled(enabled, port),
    rotateApiToken: () => ports.apiServer.rotateToken(),
    listChatModels: () => cloud.chatModels(),
    getRouterSettings: () => router.settings,
    updateRouterSettings: (update) => router.updateSettings(update),
    getKeyStoreInfo: () => cloud.keyStoreInfo(),
    listProviders: () => cloud.listProviders(),
    addProvider: ({ name, kind, baseUrl }) => cloud.addProvider({ name, kind, baseUrl: baseUrl ?? null }),
    removeProvider: ({ name }) => cloud.removeProvider(name),
    setProviderKey: ({ name, key }) => cloud.setKey(name, key),
    deleteProviderKey: ({ name }) => cloud.deleteKey(name),
    testProvider: ({ name }) => cloud.test(name),
    getPrivacySettings: () => privacy.settings,
    updatePrivacySettings: (update) => privacy.updateSettings(update),
    addDictionaryTerm: ({ term, list }) => privacy.addTerm(term, list),
    listEgress: (filter) => egressLedger.list(filter),
    exportEgress: ({ format, filter }) => egressLedger.export(format, filter),
    getUsageStats: (query) => enclave.metrics.stats(query),
    exportUsageStats: ({ format, query }) => enclave.metrics.export(format, query),
    ingestFiles: (args) => enclave.documents.ingestFiles(args),
    chooseDocumentFiles: () => ports.chooseDocumentFiles(),
    listDocuments: (filter) => enclave.documents.listDocuments(filter),
    getDocument: ({ id }) => enclave.documents.getDocument(id),
    deleteDocument: ({ id }) => enclave.documents.deleteDocument(id),
    listCollections: () => enclave.documents.listCollections(),
    createCollection: ({ name }) => enclave.documents.createCollection(name),
    attachSources: ({ conversationId, ...sources }) => enclave.documents.attachSources(conversationId, sources),
    detachSource: ({ conversationId, ...source }) => enclave.documents.detachSource(conversationId, source),
    listConversationSources: ({ conversationId }) => enclave.documents.listSources(conversationId),
    getDocumentView: ({ documentId }) => readDocumentView(enclave.documents, documentId),
    uploadDocuments: ({ files, collection }) => uploadEach(enclave, files, collection),
    summarizeDocument: ({ taskId, documentId, model }) => enclave.documentTools.summarize(documentId, { taskId, model }),
    extractDocumentFields: ({ taskId, documentId, schema }) => enclave.documentTools.extract(documentId, schema, { taskId }),
    compareDocuments: ({ taskId, documentIds: [first, second], model }) => enclave.documentTools.compare(first, second, { taskId, model }),
    cancelDocumentTask: ({ taskId }) => enclave.documentTools.cancel(taskId),
    searchDocuments: (request) => enclave.documentSearch.search(request),
    getEmbeddingStatus: async () => enclave.documentSearch.embeddingStatus(),
    setEmbeddingModel: ({ modelPath }) => enclave.documentSearch.setEmbeddingModel(modelPath),
    openExternal: ({ url }) => ports.openExternal(parseExternalUrl(url))
  };
}

/**
 * One file at a time, so two equal files of a batch deduplicate; a refused file (empty, not a document, too large)
 * gets its reason in the results like ingestFiles gives it, and the rest of the batch goes on.
 */
async function uploadEach(
  enclave: Enclave,
  files: { name: string; bytes: Uint8Array }[],
  collection?: string
): Promise<IngestFileResult[]> {
  const results: IngestFileResult[] = [];
  for (const { name, bytes } of files) {
    try {
      results.push(await enclave.documents.ingestStream(Readable.from([bytes]), name, collection));
    } catch (error) {
      if (!(error instanceof DocumentRefusedError)) throw error;
      results.push({ source: name, document: null, duplicate: false, error: error.message });
    }
  }
  return results;
}

/** The bridge answers as soon as a reply starts; its tokens follow as events. */
function started({ userMessage, assistantMessage }: Exchange): ExchangeStarted {
  return { userMessage, assistantMessage };
}

export function parseExternalUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ExternalLinkRefusedError(raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ExternalLinkRefusedError(raw);
  return url;
}

const channelToCall = new Map<string, CallName>(callNames.map((name) => [callChannel(name), name]));

/** Validates a call's arguments against the contract, runs it, and turns any failure into plain error data. */
export async function dispatchCall(handlers: CallHandlers, channel: string, rawArgs: unknown): Promise<BridgeResponse<unknown>> {
  const name = channelToCall.get(channel);
  if (!name) return { ok: false, error: { code: ErrorCode.UnknownCall, message: `Unknown call ${channel}` } };
  const parsed = calls[name].args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`);
    return { ok: false, error: toBridgeError(new InvalidArgumentsError(name, issues)) };
  }
  try {
    const handler = handlers[name] as (args: unknown) => unknown;
    return { ok: true, value: (await handler(parsed.data)) ?? null };
  } catch (error) {
    return { ok: false, error: toBridgeError(error) };
  }
}

export function toBridgeError(error: unknown): BridgeError {
  if (error instanceof EnclaveError) return { code: error.code, message: error.message };
  return { code: ErrorCode.Internal, message: (error as Error)?.message ?? String(error) };
}

/** Forwards every core event to one receiver (a window, a page); returns the unsubscribe. */
export function forwardEvents(enclave: Enclave, send: (channel: string, payload: unknown) => void): () => void {
  const unsubscribers = eventNames.map((name) => enclave.events.on(name, (payload) => send(eventChannel(name), payload)));
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
