export type TextWindow = { start: number; end: number };

/**
 * Splits `text` into windows of at most `size` characters that overlap by `overlap` characters,
 * so that any entity shorter than `overlap` lies whole inside at least one window.
 * Window ends prefer a line break, then a sentence end, then a space, and never split a surrogate pair.
 */
export function planWindows(text: string, size: number, overlap: number): TextWindow[] {
  if (text.length <= size) return [{ start: 0, end: text.length }];

  const windows: TextWindow[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) end = findSplitPoint(text, start + Math.floor(size * 0.75), end);

    windows.push({ start, end });
    if (end >= text.length) break;

    start = avoidSurrogateSplit(text, Math.max(start + 1, end - overlap));
  }

  return windows;
}

function findSplitPoint(text: string, earliest: number, latest: number) {
  for (const separator of ['\n', '. ', ' ']) {
    const index = text.lastIndexOf(separator, latest - separator.length);
    if (index >= earliest) return index + separator.length;
  }

  return avoidSurrogateSplit(text, latest);
}

function avoidSurrogateSplit(text: string, index: number) {
  const code = text.charCodeAt(index);
  const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff;
  return isLowSurrogate ? index - 1 : index;
}
