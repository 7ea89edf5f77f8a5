/** How far after its anchor's line a match may end: the next line, or the end of the blank-line separated block */
export type AnchorReach = 'nextLine' | 'block';

/**
 * The matches of global patterns that are costly to scan a whole text with, looked for only from the lines where
 * anchors (matches of a cheap pattern for words every match needs) stand to the next line or the end of their block.
 * Patterns with the `iu` flags test every position slowly in V8, and a pattern that needs context words nearby is
 * wasted on text far from them. The result equals a scan of the whole text for every match that starts on or after
 * an anchor's line and ends within its reach. Anchors may come from a copy of the text of the same length.
 */
export function matchNearAnchors(
  text: string,
  anchors: Iterable<RegExpMatchArray>,
  patterns: readonly RegExp[],
  reach: AnchorReach
): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  const spans = anchoredSpans(text, anchors, reach);
  for (const pattern of patterns)
    for (const [start, end] of spans) for (const match of text.slice(start, end).matchAll(pattern)) matches.push(shiftMatch(match, start));

  return matches;
}

const blankLinePattern = /\n[ \t]*(?:\r?\n|$)/g;

/** Spans from the start of each anchor's line to the end of its reach, overlapping spans merged */
function anchoredSpans(text: string, anchors: Iterable<RegExpMatchArray>, reach: AnchorReach) {
  const spans: [number, number][] = [];
  for (const anchor of anchors) {
    const start = text.lastIndexOf('\n', anchor.index! - 1) + 1;
    const anchorEnd = anchor.index! + anchor[0].length;
    const end = reach === 'nextLine' ? lineEndAfter(text, lineEndAfter(text, anchorEnd) + 1) : blockEndAfter(text, anchorEnd);
    const last = spans.at(-1);
    if (last != null && start <= last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }

  return spans;
}

function lineEndAfter(text: string, index: number) {
  const end = text.indexOf('\n', index);
  return end === -1 ? text.length : end;
}

function blockEndAfter(text: string, index: number) {
  blankLinePattern.lastIndex = index;
  return blankLinePattern.exec(text)?.index ?? text.length;
}

/** Moves a match found in a slice to the slice's place in the whole text, with its `d` flag indices if any */
function shiftMatch(match: RegExpExecArray, offset: number) {
  match.index += offset;
  // Named groups' index pairs are the same arrays as the numbered ones
  for (const pair of match.indices ?? []) {
    if (pair == null) continue;

    pair[0] += offset;
    pair[1] += offset;
  }

  return match;
}
