// The core's push notifications: each event's name and payload. The contract forwards exactly these to the renderer.
import type { EgressRecord, EngineStatus, Message, PrivacySettings } from './types';

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
  egressRecorded: true
};

/** Every event name, checked by the compiler against EnclaveEventMap. */
export const eventNames = Object.keys(eventNameSet) as EventName[];
