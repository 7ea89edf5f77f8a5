// Typed context helpers: App creates one instance of each state class and every component below
// reads it with the matching getter, so no state is passed down through props.
import { createContext } from 'svelte';
import type { EnclaveApi } from '../../src-preload/contract';
import type { ChatState } from './ChatState.svelte';
import { CloudState } from './CloudState.svelte';
import type { ConversationListState } from './ConversationListState.svelte';
import type { EngineState } from './EngineState.svelte';
import type { UiState } from './UiState.svelte';

export const [getEnclaveApi, setEnclaveApi] = createContext<EnclaveApi>();
export const [getEngineState, setEngineState] = createContext<EngineState>();
export const [getConversationListState, setConversationListState] = createContext<ConversationListState>();
export const [getChatState, setChatState] = createContext<ChatState>();
export const [getUiState, setUiState] = createContext<UiState>();

const [getCloudStateContext, setCloudState, hasCloudState] = createContext<CloudState>();
export { setCloudState };
const sharedCloudStates = new WeakMap<EnclaveApi, CloudState>();

/**
 * The cloud providers, picker entries and router settings. App may own one (setCloudState, connected
 * in onMount); otherwise the first component that asks makes one for this window's api and connects it
 * for the window's lifetime, so the settings dialog and the chat header share it.
 */
export function getCloudState(): CloudState {
  if (hasCloudState()) return getCloudStateContext();
  const api = getEnclaveApi();
  let cloud = sharedCloudStates.get(api);
  if (!cloud) {
    cloud = new CloudState(api);
    sharedCloudStates.set(api, cloud);
    cloud.connect();
  }
  return cloud;
}
