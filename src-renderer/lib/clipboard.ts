/** Copies text; resolves to whether it worked (the clipboard can be unavailable or denied). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
