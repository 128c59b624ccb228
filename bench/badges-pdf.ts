/**
 * Badge PDF figures: `npx tsx bench/badges-pdf.ts` (options: BADGES_WITH_PHOTO=1000, BADGES_NO_PHOTO=11000,
 * BADGES_DIR=os.tmpdir()). Renders (1) N CR80 badges each with its own photo (distinct JPEG buffers, as from the
 * database) and (2) M CR80 badges without photo, to files, and prints ms/badge, bytes/badge, peak RSS, and the
 * event loop's max delay while rendering (monitorEventLoopDelay, 10 ms resolution) — how long a request could wait.
 * Names rotate through Arabic, Chinese, Cyrillic and accented Latin so every font is in play.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { renderBadges, type BadgeView } from '../src/modules/badges/badges.pdf.js';

const withPhoto = Number(process.env.BADGES_WITH_PHOTO ?? 1000);
const noPhoto = Number(process.env.BADGES_NO_PHOTO ?? 11000);
const dir = process.env.BADGES_DIR ?? os.tmpdir();

const PEOPLE = [
  {
    honorific: 'H.E.',
    name: 'محمد بن علي',
    nameLatin: 'Mohamed Ben Ali',
    title: 'وزير الاتصالات',
    entity: 'وزارة الاتصالات وتكنولوجيا المعلومات',
    country: 'تونس',
  },
  {
    honorific: '',
    name: '王小明',
    nameLatin: 'Wang Xiaoming',
    title: '司长',
    entity: '中华人民共和国工业和信息化部',
    country: '中国',
  },
  {
    honorific: 'Dr',
    name: 'Иван Петров',
    nameLatin: 'Ivan Petrov',
    title: 'Заместитель министра',
    entity: 'Министерство цифрового развития',
    country: 'Российская Федерация',
  },
  {
    honorific: 'Mme',
    name: 'Hélène Lefèvre-Çelik',
    nameLatin: 'Hélène Lefèvre-Çelik',
    title: 'Rédactrice en chef',
    entity: 'Radio-Télévision Suisse',
    country: 'Suisse',
  },
];
const CATS: [string, string][] = [
  ['VIP', '#b3122e'],
  ['Delegate', '#1f4e9c'],
  ['Speaker', '#f2c500'],
  ['Participant', '#e0e0e0'],
];

async function photoFor(i: number): Promise<Buffer> {
  const hue = (i * 37) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="600" height="800" fill="hsl(${hue},40%,70%)"/><circle cx="300" cy="300" r="150" fill="#d9a77a"/><ellipse cx="300" cy="800" rx="260" ry="250" fill="#334455"/><text x="40" y="80" font-size="60">${i}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

async function* views(n: number, photos: Buffer[] | null): AsyncIterable<BadgeView> {
  for (let i = 0; i < n; i++) {
    const p = PEOPLE[i % PEOPLE.length];
    const [category, colour] = CATS[i % CATS.length];
    yield {
      ...p,
      token: `CVB1.${i.toString(36).padStart(16, 'x')}.${'Ab3_-9'.repeat(7)}`,
      reference: `R-${i.toString(36).toUpperCase().padStart(8, '0')}`,
      category,
      colour,
      events: ['WSIS Forum 2026', 'AI for Good 2026'],
      photo: photos ? photos[i % photos.length] : null,
    };
  }
}

async function run(label: string, n: number, photos: Buffer[] | null) {
  const file = path.join(dir, `badges-bench-${label}.pdf`);
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  const { pages } = await renderBadges(fs.createWriteStream(file), views(n, photos), { size: 'CR80' });
  const ms = performance.now() - t0;
  h.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const bytes = fs.statSync(file).size;
  console.log(
    `${label}: ${pages} badges in ${(ms / 1000).toFixed(1)} s = ${(ms / pages).toFixed(2)} ms/badge; ` +
      `${(bytes / 1e6).toFixed(1)} MB = ${Math.round(bytes / pages)} bytes/badge; peak RSS ${Math.round(peak / 2 ** 20)} MiB; ` +
      `event loop delay max ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, mean ${(h.mean / 1e6).toFixed(1)} ms`,
  );
  fs.rmSync(file, { force: true });
}

console.log(`Node ${process.version}, ${os.cpus().length} CPUs; files in ${dir}`);
console.log(`preparing ${withPhoto} distinct photos…`);
const photos: Buffer[] = [];
for (let i = 0; i < withPhoto; i++) photos.push(await photoFor(i));
console.log(`photo JPEG: ${Math.round(photos.reduce((s, p) => s + p.length, 0) / photos.length)} bytes on average`);
await run(`cr80-${withPhoto}-photos`, withPhoto, photos);
photos.length = 0;
await run(`cr80-${noPhoto}-no-photo`, noPhoto, null);
await run(`cr80-${noPhoto}-one-shared-photo`, noPhoto, [await photoFor(1)]);
