// One list drives both the global key handler (App.svelte) and the help dialog, so they can't disagree.
import { isTextField } from './dom';

export type ShortcutAction =
  | 'newChat'
  | 'focusSearch'
  | 'chooseModel'
  | 'toggleModels'
  | 'toggleDocuments'
  | 'openSettings'
  | 'previewEgress'
  | 'toggleEgressLedger'
  | 'toggleDashboard'
  | 'showHelp'
  | 'stopOrClose';

export interface KeyboardShortcut {
  action: ShortcutAction;
  /** Key caps as shown in the help dialog. */
  keys: string[];
  description: string;
  matches: (event: KeyboardEvent) => boolean;
}

const isMac = navigator.userAgent.includes('Mac');
const modifierLabel = isMac ? '⌘' : 'Ctrl';

/** Ctrl on Windows/Linux, Cmd on macOS (either is accepted, so muscle memory from either works). */
const withModifier = (key: string) => (event: KeyboardEvent) =>
  (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === key;

/** Ctrl+Shift (Cmd+Shift on macOS) and a key. */
const withModifierAndShift = (key: string) => (event: KeyboardEvent) => event.shiftKey && withModifier(key)(event);

export const keyboardShortcuts: KeyboardShortcut[] = [
  { action: 'newChat', keys: [modifierLabel, 'N'], description: 'New chat', matches: withModifier('n') },
  { action: 'focusSearch', keys: [modifierLabel, 'K'], description: 'Search conversations', matches: withModifier('k') },
  { action: 'chooseModel', keys: [modifierLabel, 'O'], description: 'Choose a model file', matches: withModifier('o') },
  {
    action: 'toggleModels',
    keys: [modifierLabel, 'M'],
    description: 'Models: catalogue, downloads, your models, load options',
    matches: withModifier('m')
  },
  {
    action: 'toggleDocuments',
    keys: [modifierLabel, 'D'],
    description: 'Documents: collections, adding files, document tools, the embedding model',
    // Not with Shift: Ctrl+Shift+D is the dashboard.
    matches: (event) => !event.shiftKey && withModifier('d')(event)
  },
  {
    action: 'openSettings',
    keys: [modifierLabel, ','],
    description: 'Settings: engine, local API, cloud providers',
    matches: withModifier(',')
  },
  {
    action: 'previewEgress',
    keys: [modifierLabel, 'Shift', 'Enter'],
    description: 'Preview what the message would send to a cloud model',
    matches: withModifierAndShift('enter')
  },
  {
    action: 'toggleEgressLedger',
    keys: [modifierLabel, 'Shift', 'L'],
    description: 'Egress ledger: everything that left this machine',
    matches: withModifierAndShift('l')
  },
  {
    action: 'toggleDashboard',
    keys: [modifierLabel, 'Shift', 'D'],
    description: 'Usage dashboard: requests, speed, cost, savings, privacy',
    matches: withModifierAndShift('d')
  },
  {
    action: 'showHelp',
    keys: [modifierLabel, '/'],
    description: 'Keyboard shortcuts (or ? outside a text field)',
    matches: (event) => withModifier('/')(event) || (event.key === '?' && !isTextField(event.target))
  },
  {
    action: 'stopOrClose',
    keys: ['Esc'],
    description: 'Stop generating, close a dialog, the ledger, the dashboard, the Models or Documents screen, cancel an edit',
    matches: (event) => event.key === 'Escape'
  }
];

/** Keys that only apply while typing; listed in the help dialog, handled by the fields themselves. */
export const editingShortcuts: Pick<KeyboardShortcut, 'keys' | 'description'>[] = [
  { keys: ['Enter'], description: 'Send message / save edit or rename' },
  { keys: ['Shift', 'Enter'], description: 'New line' }
];

export const shortcutKeys = (action: ShortcutAction): string[] =>
  keyboardShortcuts.find((shortcut) => shortcut.action === action)?.keys ?? [];
