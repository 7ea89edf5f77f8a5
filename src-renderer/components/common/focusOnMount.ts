import type { Attachment } from 'svelte/attachments';

/** Focuses (and selects the text of) a field when it appears, e.g. an inline rename or edit box. */
export const focusOnMount: Attachment<HTMLInputElement | HTMLTextAreaElement | HTMLButtonElement> = (element) => {
  element.focus();
  if (!(element instanceof HTMLButtonElement)) element.select();
};
