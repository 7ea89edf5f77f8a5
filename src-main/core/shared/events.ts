// The core's push notifications: each event's name and payload. The contract forwards exactly these to the renderer.
import type { DocumentTaskProgress, DownloadInfo, EgressRecord, EngineStatus, IngestProgress, Message, PrivacySettings } from './types';

export interface EnclaveEventMap {
  engineStatusChanged: EngineStatus;
  modelLoadProgress: { path: string; progress: number };
  tuneProgress: { threads: number; tokensPerSecond: number; step: number; steps: number };
  chatToken: { conversationId: string; messageId: string; text: string };
  messageFinished: { message: Message };
  conversationsChanged: Record<string, never>;
  providersChanged: Record<string, never>;
  privacySettingsChanged: PrivacySettings;
  egressRecorded: { record: EgressRecord };
  documentsChanged: Record<string, never>;
  documentProgress: IngestProgress;
  /** A summarize, extract or compare task made a model call. */
  documentTaskProgress: DocumentTaskProgress;
  /** A download started, progressed (a few times a second at most), paused, finished or failed. */
  downloadProgress: { download: DownloadInfo };
  /** The models folder or the catalogue changed (a download finished, an import, a removal, a refreshed catalogue). */
  modelsChanged: Record<string, never>;
}

export type EventName = keyof EnclaveEventMap;
export type EventPayload<E extends EventName> = EnclaveEventMap[E];

const eventNameSet: { [E in EventName]: true } = {
  engineStatusChanged: true,
  modelLoadProgress: true,
  tuneProgress: true,
  chatToken: true,
  messageFinished: true,
  conversationsChanged: true,
  providersChanged: true,
  privacySettingsChanged: true,
  egressRecorded: true,
  documentsChanged: true,
  documentProgress: true,
  documentTaskProgress: true,
  downloadProgress: true,
  modelsChanged: true
};

/** Every event name, checked by the compiler against EnclaveEventMap. */
export const eventNames = Object.keys(eventNameSet) as EventName[];
