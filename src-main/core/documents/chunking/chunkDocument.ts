import type { ParsedDocument, TextBlock } from '../parsers/ParsedDocument';

export interface ChunkOptions {
  /** Longest chunk, in characters (about a quarter as many tokens for English). */
  maxChars: number;
  /** How far a chunk reaches back into the one before it (same page only). */
  overlapChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 1500, overlapChars: 200 };

export interface DocumentChunk {
  ordinal: number;
  page: number | null;
  headingPath: string[];
  /** Exactly `text.slice(charStart, charEnd)` of the document's text. */
  text: string;
  charStart: number;
  charEnd: number;
}

export interface ChunkedDocument {
  /** The document's text: its blocks joined (rows by a line break, everything else by a blank line). */
  text: string;
  chunks: DocumentChunk[];
}

interface Piece {
  start: number;
  end: number;
  headingPath: string[];
  heading: boolean;
}

/**
 * Cuts a document into chunks that follow its structure: a heading starts a new chunk, blocks (paragraphs,
 * table rows) are kept whole while they fit, and a block too long for one chunk is cut at a paragraph,
 * line, sentence or word boundary. Chunks never cross a page. Before overlap, the chunks of a page tile
 * it exactly, so every character of the text is in some chunk; each then reaches back `overlapChars`
 * (to a word boundary) into the one before it on the same page.
 */
export function chunkDocument(document: ParsedDocument, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): ChunkedDocument {
  if (options.maxChars < 16 || options.overlapChars < 0 || options.overlapChars >= options.maxChars)
    throw new RangeError('chunkDocument: maxChars must be at least 16 and overlapChars in [0, maxChars)');
  const { text, spans } = joinBlocks(document.blocks);
  const chunks: DocumentChunk[] = [];
  for (const section of pageSections(document.blocks, spans)) {
    const tiles = tileSection(text, section.pieces, options.maxChars);
    tiles.forEach((tile, i) => {
      const charStart = i === 0 ? tile.start : overlapStart(text, tile.start, tiles[i - 1]!.start, options.overlapChars);
      chunks.push({
        ordinal: chunks.length,
        page: section.page,
        headingPath: tile.headingPath,
        text: text.slice(charStart, tile.end),
        charStart,
        charEnd: tile.end
      });
    });
  }
  return { text, chunks };
}

/** The text, and each block's span in it: the block and the separator after it. */
function joinBlocks(blocks: TextBlock[]): { text: string; spans: [number, number][] } {
  const parts: string[] = [];
  const spans: [number, number][] = [];
  let at = 0;
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    const separator = !next ? '' : block.kind === 'row' && next.kind === 'row' ? '\n' : '\n\n';
    parts.push(block.text, separator);
    spans.push([at, at + block.text.length + separator.length]);
    at += block.text.length + separator.length;
  });
  return { text: parts.join(''), spans };
}

interface Section {
  page: number | null;
  start: number;
  pieces: Piece[];
}

/** Runs of blocks on the same page. */
function pageSections(blocks: TextBlock[], spans: [number, number][]): Section[] {
  const sections: Section[] = [];
  blocks.forEach((block, i) => {
    const [start, end] = spans[i]!;
    let section = sections.at(-1);
    if (!section || section.page !== block.page) sections.push((section = { page: block.page, start, pieces: [] }));
    section.pieces.push({ start, end, headingPath: block.headingPath, heading: block.kind === 'heading' });
  });
  return sections;
}

/** Groups a section's pieces into contiguous tiles of at most maxChars, splitting pieces that are longer. */
function tileSection(text: string, pieces: Piece[], maxChars: number): Piece[] {
  const tiles: (Piece & { hasBody: boolean })[] = [];
  for (const block of pieces) {
    for (const piece of splitLong(text, block, maxChars)) {
      const current = tiles.at(-1);
      const fits = current && piece.end - current.start <= maxChars;
      const headingBreak = current && piece.heading && current.hasBody;
      if (current && fits && !headingBreak) {
        current.end = piece.end;
        current.hasBody ||= !piece.heading;
      } else {
        tiles.push({ ...piece, hasBody: !piece.heading });
      }
    }
  }
  return tiles;
}

const BOUNDARIES = [/\n\s*\n/g, /\n/g, /[.!?]["')\]]?\s+/g, /\s+/g];

/** A piece longer than maxChars, cut at the best boundary in the back half of each window. */
function splitLong(text: string, piece: Piece, maxChars: number): Piece[] {
  const out: Piece[] = [];
  let start = piece.start;
  while (piece.end - start > maxChars) {
    const cut = bestCut(text, start, start + maxChars);
    out.push({ ...piece, start, end: cut, heading: piece.heading && out.length === 0 });
    start = cut;
  }
  out.push({ ...piece, start, end: piece.end, heading: piece.heading && out.length === 0 });
  return out;
}

function bestCut(text: string, start: number, limit: number): number {
  const window = text.slice(start, limit);
  const minCut = Math.floor(window.length / 2);
  for (const boundary of BOUNDARIES) {
    let last = -1;
    for (const match of window.matchAll(boundary)) {
      const after = match.index + match[0].length;
      if (after >= minCut) last = after;
    }
    if (last > 0) return start + last;
  }
  // No boundary: a hard cut, but never between the halves of a surrogate pair.
  const code = text.charCodeAt(limit);
  return code >= 0xdc00 && code <= 0xdfff ? limit - 1 : limit;
}

/**
 * Where a tile starting at `start` begins once it overlaps the tile before (which starts at `previousStart`):
 * at most `overlapChars` and half that tile back, after a whitespace, never before its page.
 */
function overlapStart(text: string, start: number, previousStart: number, overlapChars: number): number {
  const reach = Math.min(overlapChars, Math.floor((start - previousStart) / 2));
  if (reach <= 0) return start;
  const from = start - reach;
  const space = text.slice(from, start).search(/\s/);
  return space < 0 ? start : from + space + 1;
}
