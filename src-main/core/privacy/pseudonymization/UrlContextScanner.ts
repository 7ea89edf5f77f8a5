/**
 * Reads text left to right and says whether the next character would be part of a link target: a Markdown
 * link destination `](…)`, a reference definition `[x]: …`, an autolink `<scheme:…>`, a bare URL (`https://`,
 * `www.`, `mailto:`) or an HTML URL attribute (`href=`, `src=`…). A placeholder restored there would travel to
 * whoever the link points at on one click, so the pseudonymizer leaves placeholders in link targets as they are.
 *
 * Each tracker follows one construct and errs towards "inside a URL" (e.g. link syntax in code spans counts too):
 * a placeholder wrongly kept is a cosmetic loss, a value wrongly restored is a leak. A context only ever starts
 * from text already read, so the answer for a position never depends on text after it, and streaming works.
 */
export class UrlContextScanner {
  private readonly _trackers: Tracker[] = [
    new BareUrlTracker(),
    new InlineLinkTracker(),
    new DefinitionTracker(),
    new AutolinkTracker(),
    new HtmlUrlAttributeTracker()
  ];

  public feed(text: string) {
    for (const char of text) for (const tracker of this._trackers) tracker.feed(char);
  }

  /** Whether the next character belongs to a link target */
  public get inUrl() {
    return this._trackers.some((tracker) => tracker.inUrl);
  }
}

type Tracker = { feed(char: string): void; readonly inUrl: boolean };

const isSpace = (char: string) => /\s/.test(char);

/** Ends a Markdown link destination: marked keeps any other character, no-break space included. */
const isDestinationSpace = (char: string) => char === ' ' || char === '\t' || char === '\n' || char === '\r';

/** HTML's whitespace inside tags (a no-break space is part of an unquoted attribute value). */
const isHtmlSpace = (char: string) => char === ' ' || char === '\t' || char === '\n' || char === '\f' || char === '\r';

/** GFM autolinks `https://…`, `www.…`, `mailto:…` up to the next whitespace; any `scheme://` counts. */
class BareUrlTracker implements Tracker {
  public inUrl = false;
  private _tail = '';

  public feed(char: string) {
    if (isSpace(char)) {
      this.inUrl = false;
      this._tail = '';
      return;
    }
    if (this.inUrl) return;

    this._tail = (this._tail + char.toLowerCase()).slice(-7);
    this.inUrl = /(?::\/\/|www\.|mailto:|xmpp:)$/.test(this._tail);
  }
}

/** A link destination after `](` or `]:`: optionally `<…>`, else up to whitespace or an unbalanced `)`. */
class Destination {
  private _state: 'none' | 'start' | 'plain' | 'angle' = 'none';
  private _depth = 0;
  private _escaped = false;

  public get active() {
    return this._state !== 'none';
  }

  public open() {
    this._state = 'start';
    this._depth = 0;
    this._escaped = false;
  }

  public feed(char: string) {
    if (this._state === 'none') return;

    if (this._state === 'start') {
      if (isDestinationSpace(char)) return;
      if (char === '<') {
        this._state = 'angle';
        return;
      }
      this._state = 'plain';
    }

    if (this._escaped) {
      this._escaped = false;
      if (this._state === 'angle' ? char === '\n' : isDestinationSpace(char)) this._state = 'none';
      return;
    }

    if (char === '\\') {
      this._escaped = true;
      return;
    }

    if (this._state === 'angle') {
      if (char === '\n') this._state = 'none';
      // After `>` whatever follows up to a space is taken as destination too: marked may read it so.
      else if (char === '>') this._state = 'plain';
      return;
    }

    if (isDestinationSpace(char)) this._state = 'none';
    else if (char === '(') this._depth++;
    else if (char === ')') {
      if (this._depth === 0) this._state = 'none';
      else this._depth--;
    }
  }
}

/** `[text](destination)` and `![alt](destination)`: any `](` opens a destination. */
class InlineLinkTracker implements Tracker {
  private readonly _destination = new Destination();
  private _afterBracket = false;

  public get inUrl() {
    return this._destination.active;
  }

  public feed(char: string) {
    this._destination.feed(char);
    if (this._afterBracket && char === '(' && !this._destination.active) this._destination.open();
    this._afterBracket = char === ']';
  }
}

/**
 * Reference definitions `[label]: destination`: a label opened where only indentation and list, quote or task
 * markers precede it on its line (definitions live in list items and quotes too), possibly spanning lines.
 */
class DefinitionTracker implements Tracker {
  private readonly _destination = new Destination();
  private _lineHasOnlyMarkers = true;
  private _label: 'none' | 'open' | 'escaped' | 'closed' = 'none';

  public get inUrl() {
    return this._destination.active;
  }

  public feed(char: string) {
    const wasActive = this._destination.active;
    this._destination.feed(char);

    if (!wasActive) {
      if (this._label === 'closed' && char === ':') {
        this._label = 'none';
        this._destination.open();
      } else if (this._label === 'escaped') this._label = 'open';
      else if (char === '[') this._label = this._lineHasOnlyMarkers ? 'open' : 'none';
      else if (this._label === 'open') {
        if (char === '\\') this._label = 'escaped';
        else if (char === ']') this._label = 'closed';
      } else this._label = 'none';
    }

    if (char === '\n') this._lineHasOnlyMarkers = true;
    else if (!/[\s>*+\-\d.)[\]xX]/.test(char)) this._lineHasOnlyMarkers = false;
  }
}

/** `<scheme:…>` up to `>`, `<` or whitespace. */
class AutolinkTracker implements Tracker {
  public inUrl = false;
  private _scheme: string | null = null;

  public feed(char: string) {
    if (this.inUrl) {
      if (char === '>' || char === '<' || isSpace(char)) this.inUrl = false;
      if (char !== '<') return;
    }

    if (char === '<') this._scheme = '';
    else if (this._scheme == null) return;
    else if (char === ':' && /^[a-z][a-z\d+.-]{1,31}$/i.test(this._scheme)) {
      this._scheme = null;
      this.inUrl = true;
    } else if (/[a-z\d+.-]/i.test(char) && this._scheme.length < 32) this._scheme += char;
    else this._scheme = null;
  }
}

/** Attributes whose value a browser fetches or navigates to. */
const URL_ATTRIBUTE = /(?:^|[^a-z\d_-])(?:href|src|srcset|action|formaction|poster|background|cite|ping|data|codebase|longdesc)$/;

/** `href="…"`, `href='…'` and `href=…` (unquoted: up to whitespace or `>`), anywhere in the text. */
class HtmlUrlAttributeTracker implements Tracker {
  private _state: 'name' | 'beforeValue' | 'doubleQuoted' | 'singleQuoted' | 'unquoted' = 'name';
  private _name = '';
  private _nameEnded = false;

  public get inUrl() {
    return this._state !== 'name';
  }

  public feed(char: string) {
    switch (this._state) {
      case 'doubleQuoted':
        if (char === '"') this._state = 'name';
        return;
      case 'singleQuoted':
        if (char === "'") this._state = 'name';
        return;
      case 'unquoted':
        if (isHtmlSpace(char) || char === '>') this._state = 'name';
        return;
      case 'beforeValue':
        if (isHtmlSpace(char)) return;
        this._state = char === '"' ? 'doubleQuoted' : char === "'" ? 'singleQuoted' : char === '>' ? 'name' : 'unquoted';
        return;
      case 'name':
        this._feedName(char);
    }
  }

  private _feedName(char: string) {
    if (char === '=') {
      if (URL_ATTRIBUTE.test(this._name)) this._state = 'beforeValue';
      this._name = '';
      this._nameEnded = false;
    } else if (isHtmlSpace(char)) this._nameEnded = this._name !== '';
    else if (char === '/' || char === '>') {
      this._name = '';
      this._nameEnded = false;
    } else {
      // Keep the end of the name only: that is all the attribute test looks at.
      this._name = ((this._nameEnded ? '' : this._name) + char.toLowerCase()).slice(-12);
      this._nameEnded = false;
    }
  }
}
