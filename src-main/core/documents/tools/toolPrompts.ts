// The instructions each document tool gives the model. The document text goes in the user turn.

export const SUMMARIZE_WHOLE =
  'Summarize the document below for the person who owns it. Keep the main points, figures, names and conclusions; ' +
  'leave out repetition. Write a few short paragraphs or a bulleted list, in the language of the document.';

export const SUMMARIZE_PART =
  'The text below is one part of a longer document. Summarize this part: keep its main points, figures, names ' +
  'and conclusions, in a few sentences. Do not add an introduction or a conclusion.';

export const COMBINE_SUMMARIES =
  'Below are summaries of consecutive parts of one document, in order. Combine them into one summary of the whole ' +
  'document: keep the main points, figures, names and conclusions, and remove repetition.';

export const EXTRACT_FIELDS =
  'Read the document below and fill in the requested fields as JSON. Take every value from the document; where ' +
  'the document does not give a value, use null or an empty value rather than inventing one.';

export const COMPARE_DOCUMENTS =
  'Compare the two documents below. Say what they have in common, where they differ (figures, dates, terms, ' +
  'conclusions) and what is in one but not the other. Refer to them as Document A and Document B. Use Markdown headings and lists.';

export function compareInput(a: { name: string; text: string }, b: { name: string; text: string }): string {
  return `Document A: ${a.name}\n\n${a.text}\n\n---\n\nDocument B: ${b.name}\n\n${b.text}`;
}
