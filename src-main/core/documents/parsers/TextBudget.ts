import { DocumentParseError } from '../errors';

/** Counts extracted characters and stops a parse the moment a document's text passes the limit. */
export class TextBudget {
  private used = 0;

  constructor(private readonly maxChars: number) {}

  take(text: string): string {
    this.used += text.length;
    if (this.used > this.maxChars)
      throw new DocumentParseError(
        'too-large',
        `The document has more than ${this.maxChars.toLocaleString('en-US')} characters of text; split it into smaller files.`
      );
    return text;
  }
}
