/**
 * Property-based fuzzing (fast-check) of every operation of the OpenAPI document and every page route, as anonymous,
 * participant and administrator, with hostile values in every path parameter, query parameter and body field: NUL,
 * unpaired surrogates, bidi controls, formulas, SQL, markup, huge and malformed numbers, wrong types, long strings.
 * Properties: no answer is a 5xx, and a refused request (4xx) leaves no row behind (no audit entry, no job: every
 * change is written with its audit row in one transaction).
 *
 * Bounded for CI on two cores: FUZZ_RUNS (default 2) runs per operation and actor; FUZZ_SEED to replay a failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { client, createPerson, type Client } from './helpers/actors.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const HOSTILE = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202egpj.exe',
  'a\u2066b\u2069',
  '=HYPERLINK("http://evil.example")',
  '+1+1',
  '@SUM(1)',
  "' OR '1'='1",
  '"; DROP TABLE people; --',
  "1' AND pg_sleep(5)--",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '%00',
  '%',
  '\\',
  '{}',
  '[]',
  'null',
  'true',
  '-1',
  '0',
  '1e309',
  'NaN',
  '9'.repeat(40),
  'x'.repeat(5000),
  '',
  ' ',
  '2026-02-30',
  '2026-13-01T25:61:00Z',
  '\r\n',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
  'ﷺ\u200d\u200c',
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const hostileAny: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-1, 0, 2 ** 31, -(2 ** 53), 1.5, Number.MAX_SAFE_INTEGER * 10, true, false, null),
  },
  { weight: 1, arbitrary: fc.constantFrom([], {}, ['\u0000'], { __proto__: 'x' }, [[[]]]) },
);

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
};

/** A value shaped like the schema (so validation does not stop everything at the door), with hostile leaves. */
function shaped(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return hostileAny;
  const alt = s.anyOf ?? s.oneOf;
  if (alt?.length) return fc.oneof(...alt.map((x) => shaped(x, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.enum?.length) return fc.oneof(fc.constantFrom(...s.enum), hostileAny);
  if (type === 'object' && s.properties) {
    const keys = Object.keys(s.properties);
    return fc.record(Object.fromEntries(keys.map((k) => [k, shaped(s.properties![k], depth + 1)])), {
      requiredKeys: [],
    });
  }
  if (type === 'array') return fc.array(shaped(s.items, depth + 1), { maxLength: 3 });
  if (type === 'integer' || type === 'number')
    return fc.oneof(fc.integer({ min: -5, max: 3000 }), fc.constantFrom(2 ** 40, -1, 1.5), hostileString);
  return hostileAny;
}

/** encodeURIComponent, with an unpaired surrogate sent as the invalid UTF-8 a client could send. */
function enc(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  try {
    return encodeURIComponent(s);
  } catch {
    return `%ED%A0%80${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))}`;
  }
}

type Op = {
  method: string;
  path: string;
  params: string[];
  query: Record<string, Schema>;
  body?: Schema;
  form: boolean;
};

const FORM_FIELDS = [
  'q',
  'name',
  'givenName',
  'familyName',
  'email',
  'password',
  'reason',
  'entityId',
  'decision',
  'personId',
  'event',
  'kind',
  'title',
  'token',
  'code',
  'abstract',
  'honorific',
  'preferredLocale',
];

describe('fuzz: every operation and page, hostile values, three actors', { timeout: 600_000 }, () => {
  let t: TestApp;
  let actors: Record<'anonymous' | 'participant' | 'admin', Client>;
  let ops: Op[];

  before(async () => {
    t = await buildTestApp();
    actors = {
      anonymous: await client(t),
      participant: await client(t, await createPerson(t)),
      admin: await client(t, await createPerson(t, { role: 'admin' })),
    };
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { in: string; name: string; schema?: Schema }[];
            requestBody?: { content?: Record<string, { schema?: Schema }> };
          }
        >
      >;
    };
    ops = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const query = Object.fromEntries(
          (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]),
        );
        const body = op.requestBody?.content?.['application/json']?.schema;
        ops.push({ method: method.toUpperCase(), path, params, query, body, form: false });
      }
    }
    const apiPaths = new Set(ops.map((o) => `${o.method} ${o.path}`));
    // Pages (hidden from the document): every registered route outside /api, with its path parameters.
    for (const r of t.app.routeRegistry) {
      const path = r.url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{wild}');
      if (r.url.startsWith('/api/') || apiPaths.has(`${r.method} ${path}`)) continue;
      if (r.method !== 'GET' && r.method !== 'POST') continue;
      if (/sign-out/.test(r.url)) continue; // would end the sessions the sweep uses
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      ops.push({ method: r.method, path, params, query: { q: {} }, form: r.method === 'POST' });
    }
    assert.ok(ops.length > 60, `${ops.length} operations`);
  });
  after(() => t.close());

  const counts = async () => {
    const res = await t.database.db.execute(
      sql`select (select count(*) from audit_log)::int as a, (select count(*) from jobs)::int as j`,
    );
    const row = ((res as { rows?: unknown[] }).rows ?? (res as unknown as unknown[]))[0] as { a: number; j: number };
    return `${row.a}/${row.j}`;
  };

  it('answers every hostile request without a 5xx, and a refused one leaves no row', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const op of ops) {
      const input = fc.record({
        params: fc.tuple(...op.params.map((p) => (p === 'lc' ? fc.constantFrom('en', 'ar', '\u0000') : hostileAny))),
        query: fc.record(Object.fromEntries(Object.entries(op.query).map(([k, s]) => [k, shaped(s)])), {
          requiredKeys: [],
        }),
        body: op.body
          ? fc.oneof({ weight: 4, arbitrary: shaped(op.body) }, { weight: 1, arbitrary: hostileAny })
          : op.form
            ? fc.dictionary(fc.constantFrom(...FORM_FIELDS), hostileString, { maxKeys: 5 })
            : fc.constant(undefined),
      });
      for (const [who, c] of Object.entries(actors)) {
        await fc
          .assert(
            fc.asyncProperty(input, async ({ params, query, body }) => {
              let url = op.path;
              op.params.forEach((p, i) => {
                url = url.replace(`{${p}}`, enc(params[i]));
              });
              const qs = Object.entries(query)
                .map(([k, v]) => `${encodeURIComponent(k)}=${enc(v)}`)
                .join('&');
              if (qs) url += `?${qs}`;
              const headers: Record<string, string> = { 'x-csrf-token': c.csrf };
              let payload: string | undefined;
              if (op.method !== 'GET' && op.method !== 'HEAD') {
                if (op.form) {
                  const f = new URLSearchParams();
                  f.append('_csrf', c.csrf);
                  for (const [k, v] of Object.entries((body ?? {}) as Record<string, string>))
                    f.append(k, String(v).replace(/[\ud800-\udfff]/g, '\ufffd'));
                  payload = f.toString();
                  headers['content-type'] = 'application/x-www-form-urlencoded';
                } else {
                  // JSON.stringify escapes lone surrogates as \udXXX: the server sees them as JSON escapes.
                  payload = JSON.stringify(body ?? {});
                  headers['content-type'] = 'application/json';
                }
              }
              const before = await counts();
              const res = await c.inject({ method: op.method as 'GET', url, payload, headers });
              requests++;
              if (res.statusCode >= 500) {
                failures.push(
                  `${who} ${op.method} ${url} ${payload ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`,
                );
                return false;
              }
              if (res.statusCode >= 400 && (await counts()) !== before) {
                failures.push(`${who} ${op.method} ${url} → ${res.statusCode} but wrote rows`);
                return false;
              }
              return true;
            }),
            { numRuns: RUNS, seed: SEED, endOnFailure: true },
          )
          .catch(() => {});
      }
    }
    assert.deepEqual(failures, [], `${failures.length} failures in ${requests} requests`);
    assert.ok(requests > ops.length * 3 * RUNS * 0.9, `${requests} requests`);
  });
});
