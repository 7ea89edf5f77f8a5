export type DialogName = 'settings' | 'shortcuts';

/** Window-level UI: which dialog is open, the conversation settings panel, and focus targets for shortcuts. */
export class UiState {
  openDialog = $state<DialogName | null>(null);
  conversationSettingsOpen = $state(false);
  searchInput = $state.raw<HTMLInputElement>();
  composerInput = $state.raw<HTMLTextAreaElement>();

  focusSearch(): void {
    this.searchInput?.focus();
    this.searchInput?.select();
  }

  focusComposer(): void {
    this.composerInput?.focus();
  }
}
