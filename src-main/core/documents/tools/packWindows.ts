/**
 * Packs passages, in order, into windows of at most `budget` characters (joined by a blank line), so each
 * window fits one model call. A passage longer than the budget is split; with `minPerWindow` 2 passages are cut
 * to half the budget instead, so any two fit together and a reduce step always shrinks the list.
 */
export function packWindows(passages: readonly string[], budget: number, { minPerWindow = 1 }: { minPerWindow?: 1 | 2 } = {}): string[] {
  const limit = Math.max(1, Math.floor(budget));
  const pieces =
    minPerWindow === 2 && passages.length > 1
      ? passages.map((passage) => passage.slice(0, Math.floor(limit / 2) - 1))
      : passages.flatMap((passage) => splitLong(passage, limit));
  const windows: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    const added = size === 0 ? piece.length : size + 2 + piece.length;
    if (current.length > 0 && added > limit) {
      windows.push(current);
      current = [];
      size = 0;
    }
    current.push(piece);
    size = size === 0 ? piece.length : size + 2 + piece.length;
  }
  if (current.length) windows.push(current);
  return windows.map((window) => window.join('\n\n'));
}

function splitLong(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += limit) parts.push(text.slice(at, at + limit));
  return parts;
}
