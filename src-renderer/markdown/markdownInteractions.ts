import type { Attachment } from 'svelte/attachments';

/** Only web links leave the app, and only through the system browser. */
function externalUrl(href: string | null): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null; // relative or malformed: nothing to open
  }
}

/**
 * Handles clicks inside rendered Markdown: links must never navigate the app window, so every click on
 * one is cancelled and web links go to `openExternal`. (Code-block copy buttons carry their own handlers.)
 */
export function markdownInteractions(openExternal: (url: string) => void): Attachment<HTMLElement> {
  return (container) => {
    const handleClick = (event: MouseEvent) => {
      if (!(event.target instanceof Element)) return;
      const link = event.target.closest('a');
      if (!link) return;
      event.preventDefault();
      const url = externalUrl(link.getAttribute('href'));
      if (url) openExternal(url);
    };
    // Middle-click would otherwise open a new window.
    const blockAuxClick = (event: MouseEvent) => {
      if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
    };
    container.addEventListener('click', handleClick);
    container.addEventListener('auxclick', blockAuxClick);
    return () => {
      container.removeEventListener('click', handleClick);
      container.removeEventListener('auxclick', blockAuxClick);
    };
  };
}
