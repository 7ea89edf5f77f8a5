import { getDocumentProxy } from 'unpdf';
import { DocumentParseError } from '../errors';
import type { ParsedDocument, ParseLimits, ParseProgress, TextBlock } from './ParsedDocument';
import { splitParagraphs } from './parseText';
import { TextBudget } from './TextBudget';

/**
 * A PDF's text layer, page by page (1-based), one paragraph block per run of lines. Scanned pages
 * have no text layer: a PDF with none on any page fails, since there is nothing to search (no OCR).
 */
export async function parsePdf(
  bytes: Uint8Array,
  limits: Pick<ParseLimits, 'maxTextChars'>,
  onProgress: ParseProgress
): Promise<ParsedDocument> {
  const budget = new TextBudget(limits.maxTextChars);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(bytes, { isEvalSupported: false, stopAtErrors: false, verbosity: 0 });
  } catch (error) {
    throw classifyPdfError(error);
  }
  try {
    const blocks: TextBlock[] = [];
    for (let page = 1; page <= pdf.numPages; page++) {
      const proxy = await pdf.getPage(page);
      const content = await proxy.getTextContent();
      let text = '';
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      proxy.cleanup();
      for (const paragraph of splitParagraphs(text))
        blocks.push({ kind: 'paragraph', text: budget.take(paragraph), headingPath: [], page });
      onProgress(page / pdf.numPages);
    }
    if (!blocks.length)
      throw new DocumentParseError(
        'no-text',
        `No text layer: none of the ${pdf.numPages} pages has text to read (a scanned or image-only PDF; OCR is not supported).`
      );
    return { blocks, pages: pdf.numPages };
  } catch (error) {
    throw error instanceof DocumentParseError ? error : classifyPdfError(error);
  } finally {
    await pdf.destroy();
  }
}

function classifyPdfError(error: unknown): DocumentParseError {
  const name = (error as { name?: string })?.name;
  if (name === 'PasswordException')
    return new DocumentParseError('encrypted', 'The PDF is encrypted (password-protected); remove the password and add it again.', {
      cause: error
    });
  return new DocumentParseError('corrupt', `The PDF is damaged or not a PDF: ${(error as Error)?.message ?? String(error)}`, {
    cause: error
  });
}
