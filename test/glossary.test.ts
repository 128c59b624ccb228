/**
 * One voice per language: src/locales/glossary.json fixes the product's terms in the six languages. Every catalogue
 * message and every text of the programme seed uses the language's term where the English one uses the English term,
 * and no text uses a synonym the glossary forbids; the public pages, rendered in each language, say the same.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LOCALES, type Locale } from '../src/platform/i18n/locales.js';
import { loadCatalogue, localesDir } from '../src/platform/i18n/messages.js';
import { buildTestApp, type TestApp } from './helpers/app.js';

type Entry = { term: string; forms?: string; forbidden?: string[] };
type Glossary = { terms: Record<string, Record<string, Entry | string>> };
const glossary = JSON.parse(fs.readFileSync(path.join(localesDir, 'glossary.json'), 'utf8')) as Glossary;
const terms = Object.entries(glossary.terms).map(([id, t]) => [id, t as Record<Locale, Entry>] as const);
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const uses = (e: Entry) => new RegExp(e.forms ?? literal(e.term), 'u');

/** Every localized text of the seed, by locale: [where, text]. */
function seedTexts(): Map<Locale, [string, string][]> {
  const out = new Map<Locale, [string, string][]>(LOCALES.map((l) => [l, []]));
  const seed = JSON.parse(fs.readFileSync(path.resolve('src/seed/summit-2026.json'), 'utf8'));
  const walk = (v: unknown, where: string) => {
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (LOCALES.every((l) => typeof o[l] === 'string')) {
      for (const l of LOCALES) out.get(l)?.push([where, o[l] as string]);
      return;
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
  };
  walk(seed, 'seed');
  return out;
}

const catalogues = new Map(LOCALES.map((l) => [l, loadCatalogue(l)] as const));
const seed = seedTexts();

describe('glossary', () => {
  it('names every term in the six languages', () => {
    for (const [id, t] of terms) for (const l of LOCALES) assert.ok(t[l]?.term, `${id}: no ${l} term`);
  });

  it('no catalogue or seed text uses a forbidden synonym', () => {
    const bad: string[] = [];
    for (const [id, t] of terms) {
      for (const l of LOCALES) {
        const texts: [string, string][] = [...(catalogues.get(l) ?? new Map()).entries(), ...(seed.get(l) ?? [])];
        for (const f of t[l].forbidden ?? []) {
          for (const [key, text] of texts)
            if (text.includes(f)) bad.push(`${l} ${key}: "${f}" (${id}: "${t[l].term}")`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('every language uses its term where the English text uses the English term', () => {
    const bad: string[] = [];
    const en = catalogues.get('en') ?? new Map<string, string>();
    const enSeed = seed.get('en') ?? [];
    for (const [, t] of terms) {
      const enTerm = uses(t.en);
      for (const l of LOCALES.filter((x) => x !== 'en')) {
        const cat = catalogues.get(l) ?? new Map<string, string>();
        for (const [key, text] of en) {
          if (!enTerm.test(text)) continue;
          const theirs = cat.get(key);
          if (theirs !== undefined && !uses(t[l]).test(theirs))
            bad.push(`${l} ${key}: "${theirs}" lacks "${t[l].term}"`);
        }
        const theirSeed = seed.get(l) ?? [];
        enSeed.forEach(([where, text], i) => {
          if (enTerm.test(text) && !uses(t[l]).test(theirSeed[i][1]))
            bad.push(`${l} ${where}: "${theirSeed[i][1]}" lacks "${t[l].term}"`);
        });
      }
    }
    assert.deepEqual(bad, []);
  });
});

describe('glossary on the pages', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const text = (html: string) =>
    html
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&amp;/g, '&');

  it('the public pages of every language use its terms and none of the forbidden ones', async () => {
    const bad: string[] = [];
    for (const l of LOCALES) {
      const pages = new Map<string, string>();
      for (const p of ['', '/sign-in', '/sign-up', '/partners']) {
        const res = await t.app.inject({ url: `/${l}${p}` });
        assert.equal(res.statusCode, 200, `/${l}${p}`);
        pages.set(`/${l}${p}`, text(res.body));
      }
      for (const [, e] of terms) {
        for (const [url, body] of pages)
          for (const f of e[l].forbidden ?? []) if (body.includes(f)) bad.push(`${url}: "${f}"`);
      }
      // The home page names the venue and the Forum with the glossary's words.
      const home = pages.get(`/${l}`) ?? '';
      for (const id of ['palexpo', 'wsis_forum']) {
        const e = glossary.terms[id] as Record<Locale, Entry>;
        if (!uses(e[l]).test(home)) bad.push(`/${l}: no "${e[l].term}"`);
      }
    }
    assert.deepEqual(bad, []);
  });
});
