import { describe, expect, it } from 'vitest';
import { formatCsv, formatCsvRecord, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads plain records with their physical line numbers', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ]);
  });

  it('given CRLF line breaks and no final line break, reads the same records', () => {
    expect(parseCsv('a,b\r\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('drops a UTF-8 byte order mark', () => {
    expect(parseCsv('\uFEFForganization,full_name\n')).toEqual([{ line: 1, fields: ['organization', 'full_name'] }]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const text = 'name,title\n"Ngô Thị Hồng, Ph.D.","Trưởng phòng\r\n""Báo chí"""\nnext,row\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['name', 'title'] },
      { line: 2, fields: ['Ngô Thị Hồng, Ph.D.', 'Trưởng phòng\r\n"Báo chí"'] },
      { line: 4, fields: ['next', 'row'] },
    ]);
  });

  it('counts lines of a quoted field spanning several lines, so later records keep their line numbers', () => {
    const records = parseCsv('h\n"one\ntwo\nthree"\nafter\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it('skips blank lines and rows of empty fields but counts them', () => {
    expect(parseCsv('a,b\n\n,\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['1', '2'] },
    ]);
  });

  it('keeps an empty last field after a trailing comma', () => {
    expect(parseCsv('a,b,\n')).toEqual([{ line: 1, fields: ['a', 'b', ''] }]);
  });

  it('marks a record with a quote inside an unquoted field', () => {
    const [record] = parseCsv('Nguyễn "Văn" An,x\n');
    expect(record?.error).toMatch(/field 1 has a quote but does not start with one/);
  });

  it('marks a record with text after a closing quote and still finds the next record', () => {
    const records = parseCsv('"a"b,c\nnext\n');
    expect(records[0]).toMatchObject({
      line: 1,
      fields: ['ab', 'c'],
      error: 'field 1 has text after its closing quote',
    });
    expect(records[1]).toEqual({ line: 2, fields: ['next'] });
  });

  it('marks a quoted field that is never closed with the line it opened on', () => {
    const records = parseCsv('h\nok\n"open,\nand on\n');
    expect(records[1]).toEqual({ line: 2, fields: ['ok'] });
    expect(records[2]).toMatchObject({ line: 3, error: 'the quoted field opened on line 3 is never closed' });
  });
});

describe('formatCsv', () => {
  it('quotes only fields that need it and doubles their quotes', () => {
    expect(formatCsvRecord(['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded', ''])).toBe(
      'plain,"a,b","say ""hi""","two\nlines"," padded",',
    );
  });

  it('writes a BOM and CRLF line breaks, and reads back what it wrote', () => {
    const records = [
      ['organization', 'full_name', 'title'],
      ['prov-lao-cai', 'Ngô Thị Hồng, Ph.D.', 'Trưởng phòng\n"Báo chí"'],
    ];
    const text = formatCsv(records);
    expect(text.startsWith('\uFEFForganization,full_name,title\r\n')).toBe(true);
    expect(parseCsv(text).map((r) => r.fields)).toEqual(records);
  });
});
