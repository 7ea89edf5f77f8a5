/** How long a copy button says "Copied" before it reads "Copy" again. */
export const COPIED_FEEDBACK_MS = 1500;

/** Copies text; resolves to whether it worked (the clipboard can be unavailable or denied). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies text for a copy button: `setCopied(true)` when it worked and `setCopied(false)` once
 * COPIED_FEEDBACK_MS have passed; `setCopied(false)` at once when it did not.
 */
export async function copyWithFeedback(text: string, setCopied: (copied: boolean) => void): Promise<void> {
  const copied = await copyText(text);
  setCopied(copied);
  if (copied) setTimeout(() => setCopied(false), COPIED_FEEDBACK_MS);
}
