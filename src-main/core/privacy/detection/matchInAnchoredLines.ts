/**
 * The matches of global patterns that are slow to scan with, looked for only on the lines where a cheap anchor
 * pattern matches and on the line after each. Patterns with the `iu` flags test every position slowly in V8; a
 * plain `gi` anchor for the words every match contains finds the few lines worth that cost. The result equals a
 * scan of the whole text for every match that starts on an anchor's line and ends by the next line's end.
 */
export function matchInAnchoredLines(text: string, anchor: RegExp, patterns: readonly RegExp[]): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  const spans = anchoredLineSpans(text, anchor);
  for (const pattern of patterns)
    for (const [start, end] of spans) for (const match of text.slice(start, end).matchAll(pattern)) matches.push(shiftMatch(match, start));

  return matches;
}

/** Spans from the start of each anchor's line to the end of the line after it, overlapping spans merged */
function anchoredLineSpans(text: string, anchor: RegExp) {
  const spans: [number, number][] = [];
  for (const hit of text.matchAll(anchor)) {
    const start = text.lastIndexOf('\n', hit.index - 1) + 1;
    const end = lineEndAfter(text, lineEndAfter(text, hit.index + hit[0].length) + 1);
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
