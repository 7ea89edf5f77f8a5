import type { EntityCandidate, PiiType } from '../types';
import { isPlausibleFieldValue, typeOfColumn } from './fieldTypes';

/** Without the `u` flag, which makes a case-insensitive scan much slower: the header words are Latin-script */
const headerHintPattern =
  /(?:^|[,;\t|"]|[ \t]{2})[ \t]{0,8}"?(?:e-?mail|[a-z _]{0,24}name|d\.?o\.?b\.?|date[ _]?of[ _]?birth|birth[ _]?(?:date|dt|day)?|born|geburtsdatum|nom|pr[ée]nom|apellidos?|nombres?|cognome|nome|sobrenome|vorname|voornaam|achternaam|efternamn|f[öo]rnamn|etternavn|fornavn|nazwisko|imi[ęe]|meno|priezvisko|ime|prezime|n[ée]v|vezet[ée]kn[ée]v|kereszt?n[ée]v|nume|prenume|h[ọo] t[êe]n|navn|namn|nimi|naam|\u6C0F\u540D|\u540D\u524D|\u59D3\u540D|\uC774\uB984|\uC131\uBA85|p[řr][íi]jmen[íi]|jm[ée]no|sukunimi|etunimi|soyad[ıi]?|ad[ıi]|telefon[oe]?|tel[ée]fono|handy|m[óo]vil|celular|adresse|anschrift|direcci[óo]n|indirizzo|endere[çc]o|ort|stadt|ville|ciudad|citt[àa]|cidade|bday|[a-z\u00C0-\u024F _]{0,12}(?:naissance|nacimiento|nascimento|nascita|urodzenia|narozen[íi]|narodenia|ro[đd]enja|rojstva|na[sș]terii|sinh)|sz[üu]let[ée]si[a-z\u00C0-\u024F ]{0,8}|\u751F\u5E74\u6708\u65E5|\u51FA\u751F\u65E5\u671F|\uC0DD\uB144\uC6D4\uC77C|geboortedatum|f[öo]delsedatum|f[øo]dselsdato|syntym[äa]aika|do[ğg]um[ _]tarihi|phone|mobile|city|ssn|address|iban|account|card|surname|f[øo]dselsnummer|cpr|hetu|henkil[öo]tunnus|rodn[ée][ _]?[čc][íi]slo|codice[ _]fiscale|dni|nie|nif|cpf|curp|oib|jmbg|pesel|bsn|personnummer|aadhaa?r|pan|nino|nir|sin|pps|nhs[ _]?(?:no|number)?|passenger|travell?er|guest|attendee|participant|patient|tenant|student|candidate|applicant|employee|assignee|reporter|requester|approver|driver|caller|interviewer|interviewee|manager|supervisor|teacher|doctor|physician|nurse|volunteer|pass(?:word|wd|phrase|code)|pwd|secret|token|api[ _-]?key|passwort|kennwort|mot de passe|contrase[ñn]a|senha|wachtwoord|has[łl]o|heslo|[a-z]{2,12}[ _-]?(?:id|no|number|#))(?:[ \t]{0,8}\([^)\n]{0,16}\))?[ \t]{0,8}"?[ \t]{0,8}(?:[,;\t|"]|[ \t]{2}|$)/gim;
/** Commas only inside a quoted or non-comma-delimited header ("Surname, Given"); parentheses for units ("DOB (dd/mm)") */
const headerCellPattern = /^\p{L}[\p{L}\p{M}0-9 _.#,/()-]{0,40}$/u;
/** Two spaces split the columns of a fixed-width export ("Name          DOB         Phone") */
const delimiters = [',', ';', '\t', '|', '  '] as const;
const maxHeaderLength = 1_000;
const markdownSeparatorPattern = /^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?)?[ \t]*$/;

type Cell = { start: number; end: number };

/**
 * Labels the cells of delimited tables (CSV, TSV, pipe and Markdown tables) by their column header,
 * which finds names and places that carry no other clue ("1042,Emre,Yılmaz,…").
 * Only lines that look like headers are split, so ordinary text costs one pattern scan.
 * Cells of types not in `enabled` are not checked (a name check needs the language model, which may not be loaded).
 */
export function detectTableColumns(text: string, enabled: ReadonlySet<PiiType>): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  let tableEnd = 0;
  for (const hint of text.matchAll(headerHintPattern)) {
    if (hint.index < tableEnd) continue;

    const header = lineAt(text, hint.index);
    const columns = readHeader(text, header);
    if (columns == null) continue;

    let row = nextLine(text, header);
    for (; row != null; row = nextLine(text, row)) {
      if (markdownSeparatorPattern.test(text.slice(row.start, row.end))) continue;

      const cells = splitCells(text, row, columns.delimiter);
      if (cells.length !== columns.types.length) break;

      cells.forEach((cell, column) => {
        const type = columns.types[column];
        if (type != null && enabled.has(type) && isPlausibleFieldValue(type, columns.names[column]!, text.slice(cell.start, cell.end)))
          entities.push({ type, start: cell.start, end: cell.end, score: columnScore(type), detector: 'tableColumn' });
      });
    }
    tableEnd = row?.start ?? text.length;
  }

  return entities;
}

/**
 * A header that names an identifier ("Personnummer", "CPR") decides its cells' type over a pattern's guess: a national
 * number may parse as a phone number too. Names and places keep a lower score, which a validated value overrides.
 */
function columnScore(type: PiiType) {
  return type === 'NATIONAL_ID' || type === 'ACCOUNT_NUMBER' || type === 'DATE_OF_BIRTH' ? 0.95 : 0.75;
}

function lineAt(text: string, index: number): Cell {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const newline = text.indexOf('\n', index);
  const end = newline === -1 ? text.length : newline;
  return { start, end: text[end - 1] === '\r' ? end - 1 : end };
}

function nextLine(text: string, line: Cell): Cell | undefined {
  const newline = text.indexOf('\n', line.end);
  return newline === -1 ? undefined : lineAt(text, newline + 1);
}

function readHeader(text: string, line: Cell) {
  if (line.end - line.start > maxHeaderLength) return undefined;

  for (const delimiter of delimiters) {
    const cells = splitCells(text, line, delimiter);
    if (cells.length < 2) continue;

    const names = cells.map((cell) => text.slice(cell.start, cell.end));
    if (!names.every((name) => headerCellPattern.test(name))) continue;

    const types = names.map(typeOfColumn);
    if (types.some((type) => type != null)) return { delimiter, names, types };
  }

  return undefined;
}

/**
 * Splits one line into cells, honouring double quotes; returned spans exclude quotes and padding.
 * A pipe-delimited line may start and end with a pipe, as in Markdown tables.
 */
function splitCells(text: string, line: Cell, delimiter: string): Cell[] {
  let { start, end } = line;
  if (delimiter === '|') {
    const leading = /^[ \t]*\|/.exec(text.slice(start, end));
    start += leading?.[0].length ?? 0;
    const trailing = /\|[ \t]*$/.exec(text.slice(start, end));
    end -= trailing?.[0].length ?? 0;
  }

  return splitContent(text.slice(start, end), start, delimiter);
}

function splitContent(content: string, offset: number, delimiter: string): Cell[] {
  const cells: Cell[] = [];
  let index = 0;
  while (index <= content.length) {
    let cellStart = index;
    while (content[cellStart] === ' ') cellStart++;

    let cellEnd: number;
    let next: number;
    if (content[cellStart] === '"') {
      const closing = content.indexOf('"', cellStart + 1);
      if (closing === -1) return [];

      cellStart++;
      cellEnd = closing;
      next = content.indexOf(delimiter, closing);
    } else {
      next = content.indexOf(delimiter, cellStart);
      cellEnd = next === -1 ? content.length : next;
    }

    while (cellEnd > cellStart && content[cellEnd - 1] === ' ') cellEnd--;

    cells.push({ start: offset + cellStart, end: offset + cellEnd });
    if (next === -1) break;

    index = next + 1;
  }

  return cells;
}
