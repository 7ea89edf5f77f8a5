// Typed context helpers for the privacy switch, the egress preview and the egress ledger (same pattern as
// context.ts: App creates one instance of each and components read it with the getter).
import { createContext } from 'svelte';
import type { EgressLedgerState } from './EgressLedgerState.svelte';
import type { EgressPreviewState } from './EgressPreviewState.svelte';
import type { PrivacyState } from './PrivacyState.svelte';

export const [getPrivacyState, setPrivacyState] = createContext<PrivacyState>();
export const [getEgressPreviewState, setEgressPreviewState] = createContext<EgressPreviewState>();
export const [getEgressLedgerState, setEgressLedgerState] = createContext<EgressLedgerState>();
