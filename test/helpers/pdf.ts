/**
 * Checking PDFs with poppler-utils (pdfinfo, pdftotext, pdffonts, pdftoppm) and decoding QR codes from the rendered
 * pages with jsQR. In CI missing poppler fails the run; on a laptop the tests are skipped, loudly.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import jsQRModule from 'jsqr';
import sharp from 'sharp';

// jsqr is CommonJS with an ES default in its typings: take whichever is the function.
type JsQR = typeof import('jsqr').default;
const jsQR = ((jsQRModule as unknown as { default?: JsQR }).default ?? jsQRModule) as unknown as JsQR;

export const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');

const missing = ['pdfinfo', 'pdftotext', 'pdftoppm', 'pdffonts'].filter((t) => spawnSync(t, ['-v']).error);
export function needPoppler(t: TestContext): boolean {
  if (!missing.length) return true;
  const msg = `poppler-utils missing (${missing.join(', ')}): cannot check PDFs`;
  if (process.env.CI === 'true') assert.fail(`${msg} — install poppler-utils on the CI image`);
  console.error(`\n!!!!!!!! SKIPPED: ${msg}. Install poppler-utils (apt-get install poppler-utils). !!!!!!!!\n`);
  t.skip(msg);
  return false;
}

/** Text of the PDF (pdftotext, reading order), with bidi embedding marks removed. */
export function pdfText(file: string, opts: { page?: number } = {}): string {
  const args = opts.page ? ['-f', String(opts.page), '-l', String(opts.page)] : [];
  return execFileSync('pdftotext', [...args, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
    /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    '',
  );
}

export function pdfInfo(file: string): { pages: number; pageSize: string } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return {
    pages: Number(out.match(/^Pages:\s+(\d+)/m)?.[1]),
    pageSize: out.match(/^Page size:\s+(.+?)\s*$/m)?.[1] ?? '',
  };
}

/** Font names with embedded/subset flags (pdffonts). */
export function pdfFonts(file: string): { name: string; emb: boolean; sub: boolean }[] {
  return execFileSync('pdffonts', [file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const f = l.trim().split(/\s+/);
      // name type... encoding emb sub uni objectID gen: flags are the 3rd/4th/5th from the end but one
      const n = f.length;
      return { name: f[0], emb: f[n - 5] === 'yes', sub: f[n - 4] === 'yes' };
    });
}

/** Renders pages to PNG files `<prefix>-<n>.png` (pdftoppm numbers them, zero-padded by page count). */
export function pdfToPngs(
  file: string,
  prefix: string,
  dpi: number,
  opts: { first?: number; last?: number } = {},
): string[] {
  const args = ['-r', String(dpi), '-png'];
  if (opts.first) args.push('-f', String(opts.first));
  if (opts.last) args.push('-l', String(opts.last));
  execFileSync('pdftoppm', [...args, file, prefix]);
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${base}-`) && /-\d+\.png$/.test(f))
    .sort((a, b) => Number(a.match(/-(\d+)\.png$/)![1]) - Number(b.match(/-(\d+)\.png$/)![1]))
    .map((f) => path.join(dir, f));
}

/** Share of pixels darker than mid-grey (0..1): a blank page gives 0. */
export async function inkRatio(png: string): Promise<number> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i] < 128) dark++;
  return dark / (info.width * info.height);
}

/** Decodes the QR code on a rendered page (jsQR over sharp's raw RGBA). */
export async function decodeQr(png: string): Promise<string | null> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  return code?.data ?? null;
}
