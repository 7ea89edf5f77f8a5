const tableDelimiters = [',', ';', '\t', '|'] as const;

/**
 * Column headers of delimited tables (CSV, TSV, pipe tables): the first line of the blank-line separated block a row
 * belongs to, split by the row's most frequent delimiter. Detectors read a cell's header as the label before it.
 */
export class TableHeaders {
  private _blockStarts?: number[];

  public constructor(private readonly _text: string) {}

  public columnHeaderAt(index: number) {
    const text = this._text;
    const lineStart = text.lastIndexOf('\n', index - 1) + 1;
    const lineEnd = text.indexOf('\n', index);
    const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    const delimiter = mostFrequent(tableDelimiters, line);
    const headerStart = this._blockStartOf(lineStart);
    if (delimiter == null || headerStart === lineStart) return undefined;

    const headerEnd = text.indexOf('\n', headerStart);
    const headerCells = text.slice(headerStart, headerEnd).split(delimiter);
    const rowCells = line.split(delimiter);
    if (headerCells.length !== rowCells.length) return undefined;

    // Header words may be joined by underscores or hyphens ("social_security_number")
    return headerCells[text.slice(lineStart, index).split(delimiter).length - 1]!.replace(/[_-]+/g, ' ');
  }

  /** Binary search over the starts of blank-line separated blocks, found once per text */
  private _blockStartOf(lineStart: number) {
    this._blockStarts ??= [0, ...[...this._text.matchAll(/\n[ \t]*\n/g)].map((match) => match.index + match[0].length)];
    const starts = this._blockStarts;
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= lineStart) low = middle;
      else high = middle - 1;
    }

    return starts[low]!;
  }
}

function mostFrequent(delimiters: readonly string[], line: string) {
  let best: string | undefined;
  let bestCount = 0;
  for (const delimiter of delimiters) {
    const count = line.split(delimiter).length - 1;
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }

  return best;
}
