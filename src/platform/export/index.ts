/**
 * The one way a module writes a spreadsheet (CSV or XLSX).
 *
 * - Cells that a spreadsheet would run as a formula (OWASP "CSV injection": a value starting with `=`, `+`, `-`, `@`,
 *   tab or carriage return, also after leading spaces, and their full-width forms) are written with a leading `'`, so
 *   they show as typed and never run. Numbers stay numbers.
 * - Rows are streamed: the rows come as an (async) iterable and are pulled only as fast as the reader takes them, so an
 *   export of 200,000 rows never sits in memory. `inPages` turns a keyset-paged query into such an iterable.
 * - `sendExport` answers a Fastify request with the file as a download (Content-Disposition with an ASCII fallback
 *   and the UTF-8 name, no caching).
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { Zip, ZipDeflate } from 'fflate';
import type { FastifyReply } from 'fastify';

export type Cell = string | number | boolean | Date | null | undefined;
export type Row = Record<string, Cell>;
export type Rows = AsyncIterable<Row> | Iterable<Row>;
export type ExportFormat = 'csv' | 'xlsx';

/** A table to export: stable column keys (the CSV header), optional display headers, the rows. */
export type ExportTable = {
  columns: readonly (string | { key: string; header: string })[];
  rows: Rows;
  /** XLSX sheet name (max 31 characters; characters Excel refuses are replaced). */
  sheet?: string;
};

const FORMULA_START = /^[\s\u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

/** A string a spreadsheet will show as typed: a `'` before anything it would read as a formula. */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The value of one cell as written: strings neutralised, dates as ISO 8601, nothing as empty. */
export function cellValue(v: Cell): string | number | boolean {
  if (v == null) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : '';
  if (typeof v === 'boolean') return v;
  return neutralise(String(v));
}

const columnsOf = (t: ExportTable) =>
  t.columns.map((c) => (typeof c === 'string' ? { key: c, header: c } : { key: c.key, header: c.header }));

async function* asAsync(rows: Rows): AsyncGenerator<Row> {
  yield* rows as AsyncIterable<Row>;
}

/**
 * Rows read page by page (keyset paging): `next(last)` returns the page after the last row of the previous one (or the
 * first page for `undefined`); an empty or short page ends it.
 */
export async function* inPages<T>(next: (last: T | undefined) => Promise<T[]>, pageSize: number): AsyncGenerator<T> {
  let last: T | undefined;
  for (;;) {
    const page = await next(last);
    yield* page;
    if (page.length < pageSize) return;
    last = page[page.length - 1];
  }
}

/** CSV, UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8), CRLF-free, every text cell quoted. */
export function csvStream(table: ExportTable): Readable {
  const cols = columnsOf(table);
  const out = stringify({
    bom: true,
    header: true,
    columns: cols.map((c) => ({ key: c.key, header: neutralise(c.header) })),
    quoted_string: true,
    cast: {
      string: (v) => neutralise(v),
      date: (v) => v.toISOString(),
      boolean: (v) => (v ? 'true' : 'false'),
      number: (v) => (Number.isFinite(v) ? String(v) : ''),
    },
  });
  const source = Readable.from(asAsync(table.rows));
  source.on('error', (e) => out.destroy(e));
  return source.pipe(out);
}

const sheetName = (s: string | undefined) => (s ?? 'Sheet1').replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';

/** Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) become U+FFFD. */
const xml = (s: string) =>
  s
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

function columnName(i: number): string {
  let n = i + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

const NS = 'http://schemas.openxmlformats.org';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const staticParts = (sheet: string): [string, string][] => [
  [
    '[Content_Types].xml',
    `${HEAD}<Types xmlns="${NS}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  ],
  [
    '_rels/.rels',
    `${HEAD}<Relationships xmlns="${NS}/package/2006/relationships"><Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ],
  [
    'xl/workbook.xml',
    `${HEAD}<workbook xmlns="${NS}/spreadsheetml/2006/main" xmlns:r="${NS}/officeDocument/2006/relationships"><sheets><sheet name="${xml(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ],
  [
    'xl/_rels/workbook.xml.rels',
    `${HEAD}<Relationships xmlns="${NS}/package/2006/relationships"><Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  ],
  // Style 1 is the text format "@": a text cell stays text when someone edits it.
  [
    'xl/styles.xml',
    `${HEAD}<styleSheet xmlns="${NS}/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  ],
];

function xlsxRow(r: number, values: Cell[], letters: string[]): string {
  let out = `<row r="${r}">`;
  values.forEach((v, i) => {
    const ref = `${letters[i]}${r}`;
    const c = cellValue(v);
    if (typeof c === 'number') out += `<c r="${ref}"><v>${c}</v></c>`;
    else if (typeof c === 'boolean') out += `<c r="${ref}" t="b"><v>${c ? 1 : 0}</v></c>`;
    else if (c !== '') out += `<c r="${ref}" t="inlineStr" s="1"><is><t xml:space="preserve">${xml(c)}</t></is></c>`;
  });
  return `${out}</row>`;
}

/**
 * XLSX: one sheet of inline strings (text cells in the text format, so they stay text when edited), zipped as it is
 * written by fflate's streaming deflate; rows are pulled only while the reader keeps up (the stream's backpressure).
 */
export function xlsxStream(table: ExportTable): Readable {
  const cols = columnsOf(table);
  const letters = cols.map((_, i) => columnName(i));
  const out = new PassThrough();
  const zip = new Zip((err, chunk, final) => {
    if (err) return out.destroy(err);
    out.write(chunk);
    if (final) out.end();
  });
  const enc = new TextEncoder();
  for (const [name, body] of staticParts(sheetName(table.sheet))) {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(enc.encode(body), true);
  }
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
  zip.add(sheet);
  (async () => {
    let buf = `${HEAD}<worksheet xmlns="${NS}/spreadsheetml/2006/main"><sheetData>${xlsxRow(
      1,
      cols.map((c) => c.header),
      letters,
    )}`;
    let r = 1;
    for await (const row of asAsync(table.rows)) {
      buf += xlsxRow(
        ++r,
        cols.map((c) => row[c.key]),
        letters,
      );
      if (buf.length > 64 * 1024) {
        sheet.push(enc.encode(buf));
        buf = '';
        if (out.destroyed) return;
        // Wait for the reader when its buffer is full: rows are pulled only as fast as they are sent.
        if (out.writableNeedDrain) await once(out, 'drain');
      }
    }
    sheet.push(enc.encode(`${buf}</sheetData></worksheet>`), true);
    zip.end();
  })().catch((e: unknown) => out.destroy(e as Error));
  return out;
}

export function exportStream(format: ExportFormat, table: ExportTable): Readable {
  return format === 'xlsx' ? xlsxStream(table) : csvStream(table);
}

export const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * `attachment` with an ASCII fallback name (quotes, slashes, control and non-ASCII characters replaced) and the
 * UTF-8 name (RFC 6266 / RFC 5987).
 */
export function contentDisposition(filename: string): string {
  const clean = filename.replace(/[\u0000-\u001f\u007f/\\]/g, '_');
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["%;]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Send a table as a download: `name` without extension, the extension from the format. */
export function sendExport(reply: FastifyReply, format: ExportFormat, name: string, table: ExportTable) {
  return reply
    .type(CONTENT_TYPE[format])
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', contentDisposition(`${name}.${format}`))
    .send(exportStream(format, table));
}
