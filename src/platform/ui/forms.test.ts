/**
 * The form kit on real pages: a failed submit shows an error summary whose heading takes focus and whose links lead
 * to the fields, the title counts the errors in the page's language, each field is marked invalid and described by
 * its message (outside its label), and what was typed is kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson } from '../../../test/helpers/actors.js';

/** The opening tag of the element with this id. */
function tagById(html: string, id: string): string | undefined {
  return new RegExp(`<[a-z0-9]+[^>]*\\sid="${id}"[^>]*>`).exec(html)?.[0];
}
const attr = (tag: string | undefined, name: string) =>
  tag ? new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] : undefined;
const textOf = (html: string, id: string) =>
  new RegExp(`<([a-z0-9]+)[^>]*\\sid="${id}"[^>]*>(.*?)</\\1>`, 's')
    .exec(html)?.[2]
    .replace(/<[^>]+>/g, '')
    .trim();

function checkKit(html: string, expectFields: string[]) {
  assert.match(
    html,
    /<div class="error-summary" role="alert" aria-labelledby="error-summary-title">/,
    'an error summary',
  );
  const heading = tagById(html, 'error-summary-title');
  assert.equal(attr(heading, 'tabindex'), '-1');
  assert.match(heading ?? '', /\sautofocus/, 'the heading takes focus when the page loads');
  const links = [...html.matchAll(/<li><a href="#(f-[\w-]+)">/g)].map((m) => m[1]);
  for (const name of expectFields) {
    const control = tagById(html, `f-${name}`);
    assert.ok(control, `field ${name} has its id`);
    assert.ok(links.includes(`f-${name}`), `the summary links to ${name}`);
    assert.equal(attr(control, 'aria-invalid'), 'true', `${name} is marked invalid`);
    if (!/type="(checkbox|radio)"/.test(control ?? ''))
      assert.ok((attr(control, 'aria-describedby') ?? '').split(' ').includes(`${name}-error`), `${name} is described`);
    const at = html.indexOf(`id="${name}-error"`);
    assert.ok(at > 0, `${name}'s message exists`);
    const before = html.slice(0, at);
    assert.ok(
      before.lastIndexOf('<label') < before.lastIndexOf('</label>') || !before.includes('<label'),
      `${name}'s message is not inside a label`,
    );
  }
  return { title: /<title>(.*?)<\/title>/.exec(html)?.[1] ?? '', links };
}

describe('form kit', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t?.close());

  it('sign-up: summary, counted title, described fields, values kept (English)', async () => {
    const c = await client(t);
    const res = await c.inject({
      method: 'POST',
      url: '/en/sign-up',
      form: { givenName: 'Ana', familyName: '', email: 'not-an-address', password: 'short', preferredLocale: 'en' },
    });
    assert.equal(res.statusCode, 400);
    // The family name may be empty (people with a single name): two problems, not three.
    const { title } = checkKit(res.body, ['email', 'password']);
    assert.match(title, /^Error \(2 problems\): /);
    assert.equal(attr(tagById(res.body, 'f-givenName'), 'value'), 'Ana', 'what was typed is kept');
    assert.equal(textOf(res.body, 'password-error'), 'Error: The password needs at least 10 characters.');
    assert.equal(attr(tagById(res.body, 'f-givenName'), 'aria-invalid'), undefined, 'a good field is not marked');
  });

  it('sign-up in Arabic: the title and the summary in Arabic', async () => {
    const c = await client(t);
    const res = await c.inject({
      method: 'POST',
      url: '/ar/sign-up',
      form: { givenName: '', familyName: 'x', email: 'a@example.org', password: 'short', preferredLocale: 'ar' },
    });
    const { title } = checkKit(res.body, ['givenName', 'password']);
    assert.match(title, /^خطأ \(مشكلتان\): /);
    assert.equal(textOf(res.body, 'error-summary-title'), 'هناك مشكلة');
  });

  it('registration: a group of checkboxes is described by its message, the first box carries the link target', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    const res = await c.inject({ method: 'POST', url: '/fr/register', form: { mode: 'remote' } });
    assert.equal(res.statusCode, 400);
    // No function is chosen for the participant: that is the second problem.
    const { title } = checkKit(res.body, ['events', 'function']);
    assert.match(title, /^Erreur \(2 problèmes\) : /);
    assert.equal(attr(tagById(res.body, 'f-events'), 'type'), 'checkbox');
    assert.match(res.body, /<fieldset class="field choices" aria-describedby="events-error">/);
    assert.match(textOf(res.body, 'events-error') ?? '', /au moins une manifestation/);
  });

  it('a refused action (not about one field) is in the summary too, and a success notice is a status', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    const ok = await c.inject({ method: 'GET', url: '/en/account?done=saved' });
    assert.match(ok.body, /<div class="notice notice-ok" role="status" tabindex="-1" data-autofocus/);
    assert.doesNotMatch(/<title>(.*?)<\/title>/.exec(ok.body)?.[1] ?? '', /^Error/);
  });
});
