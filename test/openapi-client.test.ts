/**
 * The OpenAPI document is one a client generator can use: it validates against the OpenAPI 3.1 schema, declares how
 * each operation authenticates (public ones `security: []`) and the problem answers it can give; TypeScript types
 * generated from it (openapi-typescript) type-check a small client (openapi-fetch), which then runs against the app.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import { createPerson } from './helpers/actors.js';
import { buildTestApp, type TestApp } from './helpers/app.js';

type Operation = { security?: unknown[]; responses?: Record<string, unknown>; operationId?: string };
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
};

describe('the OpenAPI document generates a working client', () => {
  let t: TestApp;
  let doc: Doc;
  before(async () => {
    t = await buildTestApp();
    doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as Doc;
  });
  after(() => t.close());

  it('validates against the OpenAPI 3.1 schema', async () => {
    const result = await new Validator().validate(structuredClone(doc) as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2)?.slice(0, 2000));
    assert.equal(doc.openapi, '3.1.0');
  });

  it('declares how every operation authenticates, and the problems it answers', () => {
    assert.deepEqual(Object.keys(doc.components?.securitySchemes ?? {}).sort(), ['bearer', 'csrf', 'session']);
    const ops = Object.entries(doc.paths).flatMap(([url, item]) =>
      Object.entries(item).map(([method, op]) => ({ url, method, op })),
    );
    assert.ok(ops.length > 50, `only ${ops.length} operations`);
    const undeclared = ops.filter((o) => !Array.isArray(o.op.security)).map((o) => `${o.method} ${o.url}`);
    assert.deepEqual(undeclared, []);
    const events = doc.paths['/api/v1/events'].get;
    assert.deepEqual(events.security, []);
    const me = doc.paths['/api/v1/me'].get;
    assert.deepEqual(me.security, [{ bearer: [] }, { session: [] }]);
    assert.ok(me.responses?.['401'], 'GET /api/v1/me documents 401');
    const writes = ops.filter((o) => o.method === 'post' && o.op.security?.length);
    assert.ok(writes.length > 0);
    for (const w of writes) assert.deepEqual(w.op.security, [{ bearer: [] }, { session: [], csrf: [] }], w.url);
  });

  it('openapi-typescript types type-check an openapi-fetch client, which reads the running app', async () => {
    const dir = path.resolve('test-results', 'openapi-client');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'schema.d.ts'), astToString(await openapiTS(structuredClone(doc) as never)));
    fs.writeFileSync(
      path.join(dir, 'client.ts'),
      `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const [baseUrl, session] = process.argv.slice(2);
const api = createClient<paths>({ baseUrl });
const events = await api.GET('/api/v1/events', { params: { query: { lang: 'fr' } } });
if (!events.data) throw new Error('no events');
const names: string[] = events.data.events.map((e) => e.name);
const anonymous = await api.GET('/api/v1/me');
const code: string | undefined = anonymous.error?.code;
const me = await api.GET('/api/v1/me', { headers: { cookie: \`cvn_session=\${session}\` } });
const email: string | null | undefined = me.data?.email;
console.log(JSON.stringify({ names, status: anonymous.response.status, code, email }));
`,
    );
    const tsc = spawnSync(
      process.execPath,
      [
        'node_modules/typescript/bin/tsc',
        '--noEmit',
        '--strict',
        '--target',
        'ES2022',
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--skipLibCheck',
        path.join(dir, 'client.ts'),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);

    const person = await createPerson(t);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    // Asynchronously: the server answering the client runs in this process.
    const run = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      path.join(dir, 'client.ts'),
      address,
      person.sessionToken,
    ]);
    const out = JSON.parse(run.stdout) as { names: string[]; status: number; code: string; email: string };
    assert.ok(out.names.includes('Table ronde des régulateurs'), out.names.join(', '));
    assert.equal(out.status, 401);
    assert.equal(out.code, 'unauthenticated');
    assert.equal(out.email, person.email);
  });
});
