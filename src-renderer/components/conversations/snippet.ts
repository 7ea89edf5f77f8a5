export interface SnippetPart {
  text: string;
  highlighted: boolean;
}

/**
 * Full-text search snippets mark each match as [match]. Split them into parts so the matches can be
 * highlighted as text (never parsed as HTML). Unbalanced brackets stay as plain text.
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  return snippet
    .split(/\[([^[\]]*)\]/)
    .map((text, index) => ({ text, highlighted: index % 2 === 1 }))
    .filter((part) => part.text !== '');
}
