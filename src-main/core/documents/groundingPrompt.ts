// What a model reads when it answers from documents: the numbered excerpts retrieval found, and nothing
// else of the documents. This text is a system message, so with a cloud model it passes the privacy gate
// (redacted like any message) and the egress ledger records exactly these excerpts.

/** One retrieved passage as the model sees it; `n` is the number it cites. */
export interface PromptExcerpt {
  n: number;
  documentName: string;
  page: number | null;
  headingPath: readonly string[];
  text: string;
}

const INSTRUCTIONS =
  "Answer the user's question from the numbered excerpts of their documents below, and from nothing else. " +
  'After each statement that uses an excerpt, cite it by its number in square brackets, like [1] or [2, 3]. ' +
  'Cite only the numbers listed. If the excerpts do not answer the question, say that the documents do not ' +
  'answer it instead of guessing.';

/** The reply when retrieval found nothing above the relevance threshold: no model is asked, nothing leaves. */
export const NOTHING_RELEVANT_REPLY =
  'I found nothing in the attached documents that answers this question, so I have no sources to cite. ' +
  'Try rephrasing it, or attach the documents that cover it.';

/** Where an excerpt comes from, e.g. `report.pdf, page 3, Results › Costs`. */
export function excerptLocation({ documentName, page, headingPath }: Omit<PromptExcerpt, 'n' | 'text'>): string {
  return [documentName, page === null ? null : `page ${page}`, headingPath.length ? headingPath.join(' › ') : null]
    .filter((part): part is string => part !== null)
    .join(', ');
}

export function groundingSystemMessage(excerpts: readonly PromptExcerpt[]): string {
  const listed = excerpts.map((excerpt) => `[${excerpt.n}] ${excerptLocation(excerpt)}\n${excerpt.text.trim()}`);
  return `${INSTRUCTIONS}\n\nExcerpts:\n\n${listed.join('\n\n')}`;
}
