/**
 * The shape of the code: modules use each other through their `index.ts` (or read another module's tables from its
 * `<name>.schema.ts`: the tables form one data model), the modules' dependencies form no cycle, the lowest layers
 * (`src/db`, `src/platform`) name no module, and every module folder is in the list of modules.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { modules } from '../src/modules/index.js';

const SRC = path.resolve('src');
const files = (fs.readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
  .map((f) => path.join(SRC, f));

/** Runtime imports of a file (`import type` erases at compile time and cannot form a cycle). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm)) {
    if (m[1]) continue;
    out.push(path.resolve(path.dirname(file), m[2]).replace(/\.js$/, ''));
  }
  return out;
}

const moduleOf = (p: string) => {
  const rel = path.relative(path.join(SRC, 'modules'), p);
  return rel.startsWith('..') || !rel.includes(path.sep) ? undefined : rel.split(path.sep)[0];
};

describe('architecture', () => {
  it('modules reach each other only through index.ts or the other module’s schema file', () => {
    const bad: string[] = [];
    for (const f of files) {
      const from = moduleOf(f);
      if (!from) continue;
      for (const target of importsOf(f)) {
        const to = moduleOf(target);
        if (!to || to === from) continue;
        const base = path.basename(target);
        if (base !== 'index' && base !== `${to}.schema`)
          bad.push(`${path.relative(SRC, f)} → ${path.relative(SRC, target)}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('the modules’ dependencies form no cycle (reading another module’s tables does not count)', () => {
    const deps = new Map<string, Set<string>>();
    for (const f of files) {
      const from = moduleOf(f);
      if (!from) continue;
      for (const target of importsOf(f)) {
        const to = moduleOf(target);
        if (!to || to === from || path.basename(target) === `${to}.schema`) continue;
        if (!deps.has(from)) deps.set(from, new Set());
        deps.get(from)!.add(to);
      }
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (m: string, trail: string[]) => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(m)), m].join(' → '));
        return;
      }
      state.set(m, 'open');
      for (const d of deps.get(m) ?? []) visit(d, [...trail, m]);
      state.set(m, 'done');
    };
    for (const m of deps.keys()) visit(m, []);
    assert.deepEqual(cycles, []);
  });

  it('src/db and src/platform import no module', () => {
    const bad = files
      .filter((f) => /^(db|platform)\//.test(path.relative(SRC, f).split(path.sep).join('/')))
      .flatMap((f) =>
        importsOf(f)
          .filter((t) => moduleOf(t))
          .map((t) => `${path.relative(SRC, f)} → ${path.relative(SRC, t)}`),
      );
    assert.deepEqual(bad, []);
  });

  it('every module folder is in the list, once, under its own name', () => {
    const folders = fs
      .readdirSync(path.join(SRC, 'modules'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    assert.deepEqual(modules.map((m) => m.name).sort(), folders);
  });
});
