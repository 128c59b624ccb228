/**
 * Reading an entities CSV with csv-parse: quoted fields, doubled quotes, commas and line breaks inside quotes, a
 * byte-order mark, any line ending. Each record comes with the line it starts on, for the import report.
 */
import { parse, type CsvError } from 'csv-parse/sync';
import { CSV_COLUMNS } from './entities.input.js';

export const MAX_ROWS = 5000;

export type CsvRecord = { line: number; values: Record<string, string> };
export type CsvProblem = {
  line: number;
  problem: 'missing_columns' | 'unknown_columns' | 'duplicate_columns' | 'column_count' | 'unreadable' | 'empty';
  columns?: string[];
};
export type CsvRead = {
  records: CsvRecord[];
  problems: CsvProblem[] /** A problem after which nothing can be trusted. */;
  fatal: boolean;
};

/** The line a record starts on, from the line its end is on and its raw text. */
function startLine(endLine: number, raw: string | undefined): number {
  if (!raw) return endLine;
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

export function readEntitiesCsv(text: string): CsvRead {
  const normalised = text.replace(/\r\n?/g, '\n');
  const problems: CsvProblem[] = [];
  let header: string[] | undefined;
  let headerLine = 1;
  let rows: { record: Record<string, string>; info: { lines: number }; raw?: string }[];
  try {
    rows = parse(normalised, {
      bom: true,
      columns: (h: string[]) => (header = h.map((c) => c.trim().toLowerCase())),
      skip_empty_lines: true,
      trim: true,
      info: true,
      raw: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined, raw?: string) => {
        if (!err) return;
        const line = startLine(Number(err.lines), raw ?? (err as unknown as { raw?: string }).raw);
        problems.push({
          line,
          problem: err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ? 'column_count' : 'unreadable',
        });
      },
    }) as typeof rows;
  } catch (e) {
    const err = e as CsvError;
    return {
      records: [],
      problems: [{ line: typeof err.lines === 'number' ? err.lines : 1, problem: 'unreadable' }],
      fatal: true,
    };
  }
  if (!header) return { records: [], problems: [{ line: 1, problem: 'empty' }], fatal: true };
  headerLine = 1 + (normalised.replace(/^\uFEFF/, '').match(/^\n*/)?.[0].length ?? 0);

  const known = new Set<string>(CSV_COLUMNS);
  const unknown = header.filter((c) => !known.has(c));
  const dup = header.filter((c, i) => header!.indexOf(c) !== i);
  const missing = ['kind'].filter((c) => !header!.includes(c));
  const headerProblems: CsvProblem[] = [];
  if (missing.length) headerProblems.push({ line: headerLine, problem: 'missing_columns', columns: missing });
  if (unknown.length) headerProblems.push({ line: headerLine, problem: 'unknown_columns', columns: unknown });
  if (dup.length) headerProblems.push({ line: headerLine, problem: 'duplicate_columns', columns: [...new Set(dup)] });
  if (headerProblems.length) return { records: [], problems: headerProblems, fatal: true };

  // A broken quote makes the parser lose its place: what follows cannot be trusted, so nothing is imported.
  const fatal = problems.some((p) => p.problem === 'unreadable');
  const records = rows.map((r) => ({ line: startLine(r.info.lines, r.raw), values: r.record }));
  const seen = new Set<string>();
  const unique = problems.filter((p) => !seen.has(`${p.line}|${p.problem}`) && !!seen.add(`${p.line}|${p.problem}`));
  return { records, problems: unique.sort((a, b) => a.line - b.line), fatal };
}
