// Typed context helpers: App creates one instance of each state class and every component below
// reads it with the matching getter, so no state is passed down through props.
import { createContext } from 'svelte';
import type { EnclaveApi } from '../../src-preload/contract';
import type { ChatState } from './ChatState.svelte';
import type { CloudState } from './CloudState.svelte';
import type { DocumentViewerState } from './DocumentViewerState.svelte';
import type { DocumentsState } from './DocumentsState.svelte';
import type { DocumentToolsState } from './DocumentToolsState.svelte';
import type { ConversationSourcesState } from './ConversationSourcesState.svelte';
import type { ConversationListState } from './ConversationListState.svelte';
import type { DashboardState } from './DashboardState.svelte';
import type { EgressLedgerState } from './EgressLedgerState.svelte';
import type { EgressPreviewState } from './EgressPreviewState.svelte';
import type { EngineState } from './EngineState.svelte';
import type { ModelManagerState } from './ModelManagerState.svelte';
import type { PrivacyState } from './PrivacyState.svelte';
import type { UiState } from './UiState.svelte';

export const [getEnclaveApi, setEnclaveApi] = createContext<EnclaveApi>();
export const [getEngineState, setEngineState] = createContext<EngineState>();
export const [getConversationListState, setConversationListState] = createContext<ConversationListState>();
export const [getChatState, setChatState] = createContext<ChatState>();
export const [getUiState, setUiState] = createContext<UiState>();
/** Cloud providers, the model picker's entries and the router settings. */
export const [getCloudState, setCloudState] = createContext<CloudState>();
export const [getPrivacyState, setPrivacyState] = createContext<PrivacyState>();
export const [getEgressPreviewState, setEgressPreviewState] = createContext<EgressPreviewState>();
export const [getEgressLedgerState, setEgressLedgerState] = createContext<EgressLedgerState>();
export const [getDashboardState, setDashboardState] = createContext<DashboardState>();
/** The Models screen: catalogue, downloads, the models folder and imports. */
export const [getModelManagerState, setModelManagerState] = createContext<ModelManagerState>();
/** The in-app document viewer that citations open. */
export const [getDocumentViewerState, setDocumentViewerState] = createContext<DocumentViewerState>();
/** The Documents view: collections, documents with their progress, adding files, the embedding model. */
export const [getDocumentsState, setDocumentsState] = createContext<DocumentsState>();
/** Summarize, extract and compare for the Documents view's selected document. */
export const [getDocumentToolsState, setDocumentToolsState] = createContext<DocumentToolsState>();
/** The collections and documents the open conversation answers from. */
export const [getConversationSourcesState, setConversationSourcesState] = createContext<ConversationSourcesState>();
