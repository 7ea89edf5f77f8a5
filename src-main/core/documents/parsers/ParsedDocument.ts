/** One structural unit of a document's text: a heading, a paragraph or a table row. */
export interface TextBlock {
  kind: 'heading' | 'paragraph' | 'row';
  text: string;
  /** The headings this block sits under, outermost first; a heading's own path ends with itself. */
  headingPath: string[];
  /** 1-based page for paged formats (PDF); null otherwise. */
  page: number | null;
}

/** What a parser extracts: the blocks in reading order, and the page count for paged formats. */
export interface ParsedDocument {
  blocks: TextBlock[];
  pages: number | null;
}

/** Bounds every parser keeps to, so one hostile file cannot take unbounded memory or time. */
export interface ParseLimits {
  /** Extracted text, in characters, over the whole document. */
  maxTextChars: number;
  /** A DOCX's declared uncompressed size, over all its entries (zip bombs). */
  maxUnzippedBytes: number;
  /** Columns of a CSV row. */
  maxCsvColumns: number;
  /** Characters of one CSV row. */
  maxCsvRowChars: number;
  /** Element nesting an HTML (or DOCX) walk descends; deeper content is dropped. */
  maxHtmlDepth: number;
}

export type ParseProgress = (fraction: number) => void;
