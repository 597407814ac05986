/**
 * RFC 4180 CSV as spreadsheets write it: comma-separated, fields optionally in double quotes with
 * quotes doubled inside, line breaks (CRLF, LF or a lone CR) inside quoted fields, a UTF-8 BOM or
 * none. Records remember the physical line they start on, so a report can point into the file.
 */

export interface CsvRecord {
  /** Physical line (1-based) the record starts on; a quoted field may carry it over later lines. */
  readonly line: number;
  readonly fields: readonly string[];
  /** Set when the record is not well-formed CSV; its fields are then a best effort. */
  readonly error?: string;
}

const BOM = '\uFEFF';

/**
 * Every record of the text, the header included. Records whose fields are all empty (blank lines,
 * the `,,,,` rows spreadsheets leave behind) are skipped, since they carry nothing to import.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.startsWith(BOM) ? 1 : 0;
  let line = 1;

  // Consumes the line break at i (CRLF counts once) and returns its text.
  const lineBreak = (): string => {
    const crlf = text[i] === '\r' && text[i + 1] === '\n';
    const taken = crlf ? '\r\n' : (text[i] as string);
    i += taken.length;
    line++;
    return taken;
  };
  const isBreak = (c: string | undefined) => c === '\n' || c === '\r';

  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let error: string | undefined;
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        const opened = line;
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (isBreak(c)) value += lineBreak();
          else {
            value += c;
            i++;
          }
        }
        if (!closed) error ??= `the quoted field opened on line ${opened} is never closed`;
        else if (i < n && text[i] !== ',' && !isBreak(text[i])) {
          error ??= `field ${fields.length + 1} has text after its closing quote`;
          while (i < n && text[i] !== ',' && !isBreak(text[i])) value += text[i++];
        }
      } else {
        const start = i;
        while (i < n && text[i] !== ',' && !isBreak(text[i])) i++;
        value = text.slice(start, i);
        if (value.includes('"')) {
          error ??= `field ${fields.length + 1} has a quote but does not start with one (quote the whole field and double the quotes inside)`;
        }
      }
      fields.push(value);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      if (i < n) lineBreak();
      break;
    }
    if (error !== undefined || fields.some((field) => field !== '')) {
      records.push(error === undefined ? { line: recordLine, fields } : { line: recordLine, fields, error });
    }
  }
  return records;
}

/** One record as an RFC 4180 line (without its line break), quoting only where needed. */
export function formatCsvRecord(fields: readonly string[]): string {
  return fields.map((field) => (/[",\r\n]|^\s|\s$/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(',');
}

/**
 * A whole file: CRLF line breaks as RFC 4180 has them, and a BOM because spreadsheet programs
 * otherwise read UTF-8 as a legacy code page and garble Vietnamese diacritics.
 */
export function formatCsv(records: readonly (readonly string[])[]): string {
  return `${BOM}${records.map((fields) => `${formatCsvRecord(fields)}\r\n`).join('')}`;
}
