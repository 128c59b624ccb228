import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { manualClock } from '../clock.js';
import { LOCALES } from '../i18n/locales.js';
import { loadCatalogue, translate } from '../i18n/messages.js';
import { runDueJobs } from '../jobs.js';
import { jobs } from '../platform.schema.js';
import { greeting } from '../i18n/names.js';
import { enqueueMail, listOutbox, mailHandlers, memoryOutbox, MailTemplateError, renderMail } from './mail.js';

const FROM = 'WSIS Forum 2026 <no-reply@wsis.test>';

/** The visible text of our HTML: tags dropped, entities decoded, whitespace collapsed. */
const visible = (html: string) =>
  html
    .replace(/^[\s\S]*<body[^>]*>/, '')
    .replace(/<\/body>[\s\S]*$/, '')
    .replace(/<\/?bdi>/g, '') // inline isolation, no break
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('mail templates', () => {
  const samples: Record<string, Record<string, string | number>> = {
    verify_email: { name: 'Doreen <Bogdan> & "Martin"', link: 'https://convene.test/en/verify/t?a=1&b=2' },
    sign_in_link: { name: 'Seizo Onoe', link: 'https://convene.test/x/sign-in/link/t', minutes: 30 },
    password_reset: { name: 'Mario Maniewicz', link: 'https://convene.test/x/password/reset/t', minutes: 30 },
    account_erased: { name: 'Tomas Lamanauskas' },
  };

  for (const locale of LOCALES)
    it(`renders every account template in ${locale}: subject, text, and HTML saying the same, escaped`, () => {
      for (const [template, params] of Object.entries(samples)) {
        const r = renderMail({ locale, template, params });
        assert.equal(r.subject, translate(locale, `mail.${template}.subject`, params));
        assert.doesNotMatch(r.subject + r.text, /\{|mail\./, `${locale}:${template} left a placeholder`);
        assert.ok(r.text.includes(String(params.name)));
        if (params.link) {
          assert.ok(r.text.includes(String(params.link)));
          assert.ok(
            r.html.includes(`<a href="${String(params.link).replace(/&/g, '&amp;')}">`),
            `${locale}:${template} link`,
          );
        }
        if (params.minutes) assert.ok(r.text.includes('30'));
        assert.equal(visible(r.html), squash(r.text), `${locale}:${template}: HTML and text differ`);
        assert.match(r.html, new RegExp(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`));
        assert.ok(!r.html.includes('<Bogdan>'));
      }
    });

  it('renders every mail template of the catalogues, each select branch, in all six languages, HTML matching text', () => {
    // Parameters read from the English source: a value with HTML in it for plain arguments, every option of a select.
    const args = (els: MessageFormatElement[], out: Map<string, string[] | 'number' | 'text'>) => {
      for (const el of els) {
        if (el.type === TYPE.argument) out.set(el.value, el.value === 'link' ? 'text' : (out.get(el.value) ?? 'text'));
        if (el.type === TYPE.number || el.type === TYPE.plural) out.set(el.value, 'number');
        if (el.type === TYPE.select) out.set(el.value, Object.keys(el.options));
        if (el.type === TYPE.plural || el.type === TYPE.select)
          for (const o of Object.values(el.options)) args(o.value, out);
      }
      return out;
    };
    const en = loadCatalogue('en');
    const templates = [...en.keys()]
      .filter((k) => k.startsWith('mail.') && k.endsWith('.body'))
      .map((k) => k.slice(5, -5));
    assert.ok(templates.length >= 4);
    for (const template of templates) {
      const found = args(
        parse(en.get(`mail.${template}.body`)!),
        args(parse(en.get(`mail.${template}.subject`)!), new Map()),
      );
      const selects = [...found].filter(([, v]) => Array.isArray(v)) as [string, string[]][];
      const variants = selects.length ? selects.flatMap(([k, opts]) => opts.map((o) => ({ [k]: o }))) : [{}];
      for (const variant of variants)
        for (const locale of LOCALES) {
          const params: Record<string, string | number> = Object.fromEntries(
            [...found].map(([k, v]) => [
              k,
              k === 'link'
                ? 'https://convene.test/l?a=1&b=2'
                : v === 'number'
                  ? 3
                  : Array.isArray(v)
                    ? v[0]
                    : `<i>${k}</i> & "co"`,
            ]),
          );
          Object.assign(params, variant);
          const r = renderMail({ locale, template, params });
          assert.equal(visible(r.html), squash(r.text), `${locale}:${template} ${JSON.stringify(variant)}`);
          assert.equal(r.text, r.text.replace(/\n{3,}/g, '\n\n'), 'no run of empty lines');
          assert.ok(!r.html.includes('<i>'), `${locale}:${template}: a parameter went into HTML unescaped`);
          if ('link' in params) assert.ok(r.html.includes('<a href="https://convene.test/l?a=1&amp;b=2">'));
        }
    }
  });

  it('greets with exactly one honorific in the reader’s language, names isolated from the text around them', () => {
    const p = { givenName: 'Aigerim', familyName: 'Ivanova', honorific: 'Ms' };
    const ar = renderMail({
      locale: 'ar',
      template: 'visa_letter',
      params: { greeting: greeting(p, 'ar'), reference: 'WSIS26/VISA/000001', link: 'https://l.test/' },
    });
    assert.equal(ar.text.split('\n')[0], 'السيدة \u2068Ivanova\u2069 المحترمة،');
    assert.ok(!ar.text.includes('Ms') && !ar.text.includes('السيد/السيدة'));
    assert.ok(ar.html.includes('<bdi>WSIS26/VISA/000001</bdi>'));
    const zh = renderMail({
      locale: 'zh',
      template: 'account_erased',
      params: { greeting: greeting({ givenName: '洋', familyName: '张', honorific: 'Ms' }, 'zh') },
    });
    assert.equal(zh.text.split('\n')[0], '尊敬的张女士：');
  });

  it('uses the Arabic plural forms for minutes', () => {
    const texts = [1, 2, 3, 11, 100].map(
      (minutes) =>
        renderMail({ locale: 'ar', template: 'sign_in_link', params: { name: 'س', link: 'https://l.test/', minutes } })
          .text,
    );
    assert.equal(new Set(texts).size, 5);
    assert.ok(texts[1].includes('دقيقتين') && texts[2].includes('3 دقائق') && texts[3].includes('11 دقيقة'));
  });

  it('refuses a template or parameter that does not exist, instead of sending placeholders', () => {
    assert.throws(() => renderMail({ locale: 'en', template: 'no_such_template', params: {} }), MailTemplateError);
    assert.throws(() => renderMail({ locale: 'fr', template: 'verify_email', params: { name: 'X' } }), /link/);
  });

  it('makes only http(s) links into anchors', () => {
    const r = renderMail({
      locale: 'en',
      template: 'verify_email',
      params: { name: 'X', link: 'javascript:alert(1)' },
    });
    assert.ok(!r.html.includes('<a '));
  });
});

describe('e-mail through the outbox', () => {
  let database: TestDatabase;
  let server: SMTPServer;
  let port: number;
  const received: { mail: ParsedMail; from: string; to: string[] }[] = [];
  let refuse = false;
  const clock = manualClock(new Date('2026-05-01T08:00:00Z'));

  before(async () => {
    database = await createTestDatabase({ seed: false });
    const { runMigrations } = await import('../../db/migrate.js');
    await runMigrations(database);
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(_address, _session, cb) {
        cb(refuse ? Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }) : undefined);
      },
      onData(stream, session, cb) {
        simpleParser(stream).then((mail) => {
          received.push({
            mail,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          cb();
        }, cb);
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await database.close();
  });

  const smtpConfig = () => ({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: FROM });
  const jobRow = async (id: number) => (await database.db.select().from(jobs).where(eq(jobs.id, id)))[0];

  it('delivers over SMTP in the recipient’s language: Arabic subject intact, HTML escaped and right-to-left', async () => {
    const name = 'ليلى <b>&"';
    const link = 'https://convene.test/ar/verify/abc';
    const id = await database.db.transaction((tx) =>
      enqueueMail(tx, clock.now(), {
        to: 'minister@example.org',
        locale: 'ar',
        template: 'verify_email',
        params: { name, link },
      }),
    );
    assert.equal(await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://')), 1);
    assert.equal((await jobRow(id)).state, 'done');
    const { mail: m, from, to } = received.at(-1)!;
    assert.equal(m.subject, translate('ar', 'mail.verify_email.subject'));
    assert.match(m.subject!, /[\u0600-\u06FF]/);
    assert.deepEqual(to, ['minister@example.org']);
    assert.equal(from, 'no-reply@wsis.test');
    assert.equal((m.to as { text: string }).text, 'minister@example.org');
    assert.deepEqual(m.from!.value, [{ address: 'no-reply@wsis.test', name: 'WSIS Forum 2026' }]);
    assert.ok(m.text!.includes(link));
    assert.ok(m.text!.includes(name), 'plain text keeps the name as typed');
    const html = String(m.html);
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.ok(!html.includes('<b>'), 'the name is escaped in HTML');
    assert.ok(html.includes('ليلى &lt;b&gt;&amp;&quot;'));
    assert.ok(html.includes(`<a href="${link}">${link}</a>`));
    assert.equal(m.messageId, `<convene.${id}.${clock.now().getTime()}@wsis.test>`);
    assert.equal(m.date?.getTime(), clock.now().getTime(), 'dated when it was decided');
  });

  it('never sends what a rolled-back transaction decided', async () => {
    const before = received.length;
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await enqueueMail(tx, clock.now(), {
          to: 'x@example.org',
          locale: 'en',
          template: 'sign_in_link',
          params: { name: 'X', link: 'https://l.test/', minutes: 30 },
        });
        throw new Error('the decision failed');
      }),
      /the decision failed/,
    );
    assert.equal(await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://')), 0);
    assert.equal(received.length, before);
  });

  it('retries while the server refuses, keeping the error, and delivers once it accepts', async () => {
    refuse = true;
    const queuedAt = clock.now();
    const id = await enqueueMail(database.db, queuedAt, {
      to: 'dfp@example.org',
      locale: 'fr',
      template: 'password_reset',
      params: { name: 'Amélie', link: 'https://convene.test/fr/password/reset/x', minutes: 30 },
    });
    const before = received.length;
    await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://'));
    let job = await jobRow(id);
    assert.equal(job.state, 'pending');
    assert.equal(job.attempts, 1);
    assert.match(job.lastError ?? '', /451/);
    assert.equal(received.length, before);

    clock.advance(10_000); // not due yet: the backoff is 30 s
    assert.equal(await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://')), 0);

    refuse = false;
    clock.advance(60_000);
    await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://'));
    job = await jobRow(id);
    assert.equal(job.state, 'done');
    assert.equal(job.lastError, null);
    assert.equal(received.length, before + 1);
    const m = received.at(-1)!.mail;
    assert.equal(m.subject, translate('fr', 'mail.password_reset.subject'));
    assert.ok(m.text!.includes('30 minutes'));
    assert.equal(
      m.messageId,
      `<convene.${id}.${queuedAt.getTime()}@wsis.test>`,
      'the same message as the first attempt',
    );
  });

  it('without SMTP, writes one .eml per job under <dataDir>/outbox, listed newest first with decoded subjects', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-outbox-'));
    try {
      const handlers = mailHandlers({ mailFrom: FROM }, dir);
      const first = await enqueueMail(database.db, clock.now(), {
        to: 'secretariat@example.org',
        locale: 'zh',
        template: 'account_erased',
        params: { name: '张伟' },
      });
      clock.advance(1000);
      const second = await enqueueMail(database.db, clock.now(), {
        to: 'focal.point@example.org',
        locale: 'ar',
        template: 'account_erased',
        params: { name: 'ليلى' },
      });
      assert.equal(await runDueJobs(database.db, clock, handlers), 2);

      const outbox = path.join(dir, 'outbox');
      const files = fs.readdirSync(outbox).sort();
      assert.deepEqual(files, [
        `20260501T080110Z-${String(first).padStart(10, '0')}.eml`,
        `20260501T080111Z-${String(second).padStart(10, '0')}.eml`,
      ]);
      const raw = fs.readFileSync(path.join(outbox, files[1]));

      // The same job run again (a retry after a crash between sending and recording it): same file, same bytes.
      const [row] = await database.db.select().from(jobs).where(eq(jobs.id, second));
      await handlers['mail.send'](row.payload as Record<string, unknown>, { id: second, attempts: 2 });
      assert.deepEqual(fs.readdirSync(outbox).sort(), files);
      assert.deepEqual(fs.readFileSync(path.join(outbox, files[1])), raw);

      const list = await listOutbox(dir, 10);
      assert.deepEqual(
        list.map((e) => [e.file, e.to, e.subject]),
        [
          [files[1], 'focal.point@example.org', translate('ar', 'mail.account_erased.subject')],
          [files[0], 'secretariat@example.org', translate('zh', 'mail.account_erased.subject')],
        ],
      );
      assert.equal(list[0].date?.getTime(), clock.now().getTime());
      assert.equal((await listOutbox(dir, 1)).length, 1);
      assert.deepEqual(await listOutbox(path.join(dir, 'nothing-here'), 10), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps messages in memory for memory://, one per job', async () => {
    memoryOutbox.length = 0;
    const handlers = mailHandlers({ mailFrom: FROM }, 'memory://');
    const id = await enqueueMail(database.db, clock.now(), {
      to: 'a@example.org',
      locale: 'ru',
      template: 'sign_in_link',
      params: { name: 'Анна', link: 'https://l.test/', minutes: 21 },
    });
    await runDueJobs(database.db, clock, handlers);
    const [row] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    await handlers['mail.send'](row.payload as Record<string, unknown>, { id, attempts: 2 });
    assert.equal(memoryOutbox.length, 1);
    const [entry] = await listOutbox('memory://', 10);
    assert.equal(entry.subject, translate('ru', 'mail.sign_in_link.subject'));
    assert.ok((await simpleParser(memoryOutbox[0].raw)).text!.includes('21 минуты'));
  });

  it('refuses, in the deciding transaction, a mail whose template is missing', async () => {
    await assert.rejects(
      database.db.transaction((tx) =>
        enqueueMail(tx, clock.now(), { to: 'x@example.org', locale: 'en', template: 'nope', params: {} }),
      ),
      MailTemplateError,
    );
  });
});
