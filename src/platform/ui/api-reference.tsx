/**
 * The API reference, rendered on the server from the OpenAPI document, in the site's layout and six languages: the
 * operations by tag, each with its access rule, parameters, request body (fields and an example) and answers; how
 * callers authenticate; the problem details every error carries. Headings and tables, no script, one cached page per
 * language. The product's own words are translated (`apiref.*`: headings, tags, access rules, standard answers, each
 * operation's summary); identifiers (paths, fields, types, codes) stay as they are, left to right. A summary not yet
 * translated is shown in English, marked `lang="en"`. `/api/docs` leads here in the reader's language.
 */
import type { FastifyInstance } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Locale } from '../i18n/locales.js';
import { DomainError } from '../errors.js';
import { hasMessage } from '../i18n/messages.js';
import { localePath } from './layout.js';
import { requireLocalePrefix } from './locale-routes.js';
import { sendPage, type View } from './page.js';

type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  description?: string;
  examples?: unknown[];
  default?: unknown;
  minimum?: number;
  maxLength?: number;
  pattern?: string;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }>; required?: boolean };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, string[]>[];
};
export type OpenApiDoc = {
  info: { title: string; version: string };
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string; in?: string; name?: string }> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The catalogue key of an operation: `get_api_v1_events_slug`. */
export const operationKey = (method: string, path: string) =>
  `${method}_${path}`
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/_+$/, '');

/** An anchor for an operation. */
const anchor = (method: string, path: string) => `op-${operationKey(method, path)}`;

/** A schema in a few words: `string (date)`, `array<object>`, `"en" | "fr"`. Identifiers, not translated. */
export function typeOf(s: Schema | undefined): string {
  if (!s) return '';
  if (s.$ref) return s.$ref.split('/').pop() ?? '';
  if (s.enum) return s.enum.map((x) => JSON.stringify(x)).join(' | ');
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return alt.map(typeOf).join(' | ');
  if (s.allOf) return s.allOf.map(typeOf).join(' & ');
  const types = [s.type ?? (s.properties ? 'object' : '')].flat().filter(Boolean);
  const one = (t: string) =>
    t === 'array' ? `array<${typeOf(s.items) || 'any'}>` : s.format && t === 'string' ? `string (${s.format})` : t;
  return types.map(one).join(' | ') || 'any';
}

/** A value a caller could send for this schema. */
export function exampleOf(s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 4) return null;
  if (s.examples?.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return exampleOf(alt.find((a) => a.type !== 'null') ?? alt[0], depth + 1);
  const type = [s.type].flat().find((t) => t && t !== 'null') ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, v]) => [k, exampleOf(v, depth + 1)] as [string, unknown]),
      );
    case 'array':
      return [exampleOf(s.items, depth + 1)];
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      return s.format === 'date'
        ? '2026-07-06'
        : s.format === 'date-time'
          ? '2026-07-06T09:00:00+02:00'
          : s.format === 'email'
            ? 'name@example.org'
            : s.format === 'uuid'
              ? '00000000-0000-4000-8000-000000000000'
              : 'text';
    default:
      return null;
  }
}

/** Code: identifiers read left to right on every page. */
const Code = ({ children }: { children: ComponentChildren }) => <code dir="ltr">{children}</code>;

/** A description the product wrote in English: shown translated when the catalogue has it, else marked English. */
function Words({ v, k, en }: { v: View; k?: string; en?: string }) {
  if (k && hasMessage(v.locale, k)) return <>{v.t(k)}</>;
  if (!en) return null;
  return v.locale === 'en' ? <>{en}</> : <span lang="en">{en}</span>;
}

function access(op: Operation): 'public' | 'read' | 'write' {
  const sec = op.security ?? [];
  if (sec.length === 0) return 'public';
  return sec.some((s) => 'csrf' in s) ? 'write' : 'read';
}

function FieldsTable({ v, schema, caption }: { v: View; schema: Schema; caption: string }) {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0)
    return (
      <p>
        {caption}: <Code>{typeOf(schema)}</Code>
      </p>
    );
  const required = new Set(schema.required ?? []);
  return (
    <table class="data api-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{v.t('apiref.col.name')}</th>
          <th scope="col">{v.t('apiref.col.required')}</th>
          <th scope="col">{v.t('apiref.col.type')}</th>
          <th scope="col">{v.t('apiref.col.description')}</th>
        </tr>
      </thead>
      <tbody>
        {props.map(([name, s]) => (
          <tr>
            <th scope="row">
              <Code>{name}</Code>
            </th>
            <td>{v.t(required.has(name) ? 'apiref.yes' : 'apiref.no')}</td>
            <td>
              <Code>{typeOf(s)}</Code>
            </td>
            <td>
              <Words v={v} en={s.description} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationView({ v, method, path, op }: { v: View; method: string; path: string; op: Operation }) {
  const key = operationKey(method, path);
  const id = anchor(method, path);
  const body = op.requestBody?.content?.['application/json']?.schema;
  const params = op.parameters ?? [];
  const a = access(op);
  return (
    <section class="api-op" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>
        <span id={id}>
          <Words v={v} k={`apiref.op.${key}`} en={op.summary ?? `${method.toUpperCase()} ${path}`} />
        </span>
      </h3>
      <p class="api-endpoint">
        <Code>
          <span class={`api-method api-${method}`}>{method.toUpperCase()}</span> {path}
        </Code>
      </p>
      {op.description && (
        <p>
          <Words v={v} en={op.description} />
        </p>
      )}
      <p>
        <strong>{v.t('apiref.access')}</strong> {v.t(`apiref.access_${a}`)}
      </p>
      {params.length > 0 && (
        <table class="data api-table">
          <caption>{v.t('apiref.params')}</caption>
          <thead>
            <tr>
              <th scope="col">{v.t('apiref.col.name')}</th>
              <th scope="col">{v.t('apiref.col.in')}</th>
              <th scope="col">{v.t('apiref.col.required')}</th>
              <th scope="col">{v.t('apiref.col.type')}</th>
              <th scope="col">{v.t('apiref.col.description')}</th>
            </tr>
          </thead>
          <tbody>
            {params.map((p) => (
              <tr>
                <th scope="row">
                  <Code>{p.name}</Code>
                </th>
                <td>{hasMessage(v.locale, `apiref.in.${p.in}`) ? v.t(`apiref.in.${p.in}`) : p.in}</td>
                <td>{v.t(p.required ? 'apiref.yes' : 'apiref.no')}</td>
                <td>
                  <Code>{typeOf(p.schema)}</Code>
                </td>
                <td>
                  <Words v={v} k={`apiref.param.${p.name}`} en={p.description} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {body && (
        <>
          <FieldsTable v={v} schema={body} caption={v.t('apiref.body')} />
          <figure class="api-figure">
            <figcaption>{v.t('apiref.example')}</figcaption>
            <pre class="api-example" tabindex={0} dir="ltr">
              <code>{JSON.stringify(exampleOf(body), null, 2)}</code>
            </pre>
          </figure>
        </>
      )}
      <table class="data api-table">
        <caption>{v.t('apiref.responses')}</caption>
        <thead>
          <tr>
            <th scope="col">{v.t('apiref.col.status')}</th>
            <th scope="col">{v.t('apiref.col.description')}</th>
            <th scope="col">{v.t('apiref.col.content')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(op.responses ?? {}).map(([status, r]) => (
            <tr>
              <th scope="row">
                <Code>{status}</Code>
              </th>
              <td>
                {/^[45]/.test(status) || r.description === 'Default Response' ? (
                  <Words v={v} k={`apiref.status.${status}`} en={r.description} />
                ) : (
                  <Words v={v} en={r.description} />
                )}
              </td>
              <td>
                <Code>{Object.keys(r.content ?? {}).join(', ') || '—'}</Code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The operations of the document by tag, tags in the document's order. */
function operationsByTag(doc: OpenApiDoc) {
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, ops] of Object.entries(doc.paths))
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'system';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)?.push({ method, path, op });
    }
  const tags = [...(doc.tags ?? []).map((t) => t.name), ...byTag.keys()].filter(
    (t, i, all) => all.indexOf(t) === i && byTag.has(t),
  );
  return { byTag, tags };
}

/**
 * The reference's front page, from the document: how to sign requests, what errors look like, and the list of tags,
 * each a page of its own (the whole reference on one page would weigh some 400 KB).
 */
export function ApiReference({ v, doc }: { v: View; doc: OpenApiDoc }) {
  const { byTag, tags } = operationsByTag(doc);
  const tagName = (t: string) => (hasMessage(v.locale, `apiref.tag.${t}`) ? v.t(`apiref.tag.${t}`) : t);
  const schemes = Object.entries(doc.components?.securitySchemes ?? {});
  return (
    <article class="api-reference">
      <h1>{v.t('apiref.title')}</h1>
      <p class="lead">{v.t('apiref.intro')}</p>
      <p>
        {v.t('apiref.base')} <Code>/api/v1</Code> · {v.t('apiref.version', { version: doc.info.version })} ·{' '}
        <a href="/api/openapi.json" hreflang="en" type="application/json">
          {v.t('apiref.machine_readable')}
        </a>
      </p>
      <nav aria-labelledby="api-contents">
        <h2 id="api-contents">{v.t('apiref.contents')}</h2>
        <ul class="api-contents">
          <li>
            <a href="#api-auth">{v.t('apiref.auth_title')}</a>
          </li>
          <li>
            <a href="#api-errors">{v.t('apiref.errors_title')}</a>
          </li>
          {tags.map((t) => (
            <li>
              <a href={localePath(v.locale, `/api-reference/${t}`)}>{tagName(t)}</a> ({byTag.get(t)?.length ?? 0})
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="api-auth">
        <h2 id="api-auth">{v.t('apiref.auth_title')}</h2>
        <p>{v.t('apiref.auth_intro')}</p>
        <table class="data api-table">
          <caption>{v.t('apiref.schemes')}</caption>
          <thead>
            <tr>
              <th scope="col">{v.t('apiref.col.name')}</th>
              <th scope="col">{v.t('apiref.col.type')}</th>
              <th scope="col">{v.t('apiref.col.description')}</th>
            </tr>
          </thead>
          <tbody>
            {schemes.map(([name, s]) => (
              <tr>
                <th scope="row">
                  <Code>{name}</Code>
                </th>
                <td>
                  <Code>{s.type === 'http' ? `Authorization: Bearer …` : `${s.in}: ${s.name}`}</Code>
                </td>
                <td>{v.t(`apiref.scheme.${name}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="api-errors">
        <h2 id="api-errors">{v.t('apiref.errors_title')}</h2>
        <p>{v.t('apiref.errors_intro')}</p>
        <table class="data api-table">
          <caption>
            <Code>application/problem+json</Code>
          </caption>
          <thead>
            <tr>
              <th scope="col">{v.t('apiref.col.name')}</th>
              <th scope="col">{v.t('apiref.col.description')}</th>
            </tr>
          </thead>
          <tbody>
            {['type', 'title', 'status', 'code', 'errors', 'params'].map((f) => (
              <tr>
                <th scope="row">
                  <Code>{f}</Code>
                </th>
                <td>{v.t(`apiref.problem.${f}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}

/** One tag's operations, or undefined when the document has no such tag. */
export function ApiReferenceTag({ v, doc, tag }: { v: View; doc: OpenApiDoc; tag: string }) {
  const ops = operationsByTag(doc).byTag.get(tag);
  if (!ops) return undefined;
  const name = hasMessage(v.locale, `apiref.tag.${tag}`) ? v.t(`apiref.tag.${tag}`) : tag;
  return (
    <article class="api-reference" aria-labelledby={`tag-${tag}`}>
      <p class="kicker">
        <a href={localePath(v.locale, '/api-reference')}>{v.t('apiref.title')}</a>
      </p>
      <h1 id={`tag-${tag}`}>{name}</h1>
      {ops.map((o) => (
        <OperationView v={v} method={o.method} path={o.path} op={o.op} />
      ))}
    </article>
  );
}

/** `/{lc}/api-reference`, and `/api/docs` leading to it in the reader's language. */
export async function apiReferencePages(app: FastifyInstance, getDoc: () => OpenApiDoc) {
  const toReference = (locale: Locale) => localePath(locale, '/api-reference');
  // The trailing-slash form is the same route (ignoreTrailingSlash).
  app.get('/api/docs', { config: { permission: 'public' }, schema: { hide: true } }, (req, reply) =>
    reply.redirect(toReference(req.locale), 302),
  );
  await app.register(async (plain) => {
    await requireLocalePrefix(plain);
    plain.get('/:lc/api-reference', { config: { permission: 'public' }, schema: { hide: true } }, (req, reply) =>
      sendPage(req, reply, async (v) => ({
        title: v.t('apiref.title'),
        body: <ApiReference v={v} doc={getDoc()} />,
      })),
    );
    plain.get<{ Params: { tag: string } }>(
      '/:lc/api-reference/:tag',
      { config: { permission: 'public' }, schema: { hide: true } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const tag = req.params.tag;
          const body = /^[a-z0-9_-]{1,40}$/.test(tag) ? ApiReferenceTag({ v, doc: getDoc(), tag }) : undefined;
          if (!body) throw new DomainError('not_found', 404);
          return { title: `${v.t('apiref.title')} · ${tag}`, body };
        }),
    );
  });
}
