/**
 * Each event's own short name and logo (issue 15 §7): set by an administrator (the same checks as the organiser's
 * logo, errors in the user's language), shown on the event's page, on the badges of its participants (a real PDF,
 * rendered to PNG: the logo's colour is on it) and in the e-mails about it (sent over SMTP, the logo inline); an event
 * without one falls back to the organiser's. Others may not set it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { client, createPerson, type Client } from './helpers/actors.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { multipart } from './helpers/multipart.js';
import { inkRatio, needPoppler, pdfText, pdfToPngs, RESULTS } from './helpers/pdf.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp.js';
import { people } from '../src/modules/accounts/index.js';
import { badges, issueMissingBadges } from '../src/modules/badges/index.js';
import { entities } from '../src/modules/entities/index.js';
import { eventLogos, events } from '../src/modules/events/index.js';
import { decideRegistration, submitRegistration } from '../src/modules/registration/index.js';
import type { Ctx, PersonActor } from '../src/platform/context.js';
import type { Db } from '../src/db/client.js';
import { runDueJobs } from '../src/platform/jobs.js';
import { mailHandlers } from '../src/platform/mail/mail.js';
import { auditLog } from '../src/platform/platform.schema.js';

/** Share of pixels that are the logo's pure red. */
async function redRatio(png: string | Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i] > 200 && data[i + 1] < 60 && data[i + 2] < 60) red++;
  return red / (info.width * info.height);
}

describe('each event’s short name and logo', () => {
  let t: TestApp;
  let admin: Client;
  let smtp: SmtpSink;
  let logo: Buffer;

  before(async () => {
    t = await buildTestApp();
    smtp = await startSmtpSink();
    admin = await client(t, await createPerson(t, { role: 'admin' }));
    logo = await sharp({ create: { width: 300, height: 120, channels: 4, background: '#ff0000' } })
      .png()
      .toBuffer();
  });
  after(async () => {
    await smtp.close();
    await t.close();
  });

  it('only administrators may set it; a bad logo or no short name comes back with the error and what was typed', async () => {
    const participant = await client(t, await createPerson(t));
    assert.equal((await participant.inject({ url: '/en/admin/events/wsis-forum-2026/identity' })).statusCode, 403);
    const refused = await participant.inject({
      method: 'POST',
      url: '/en/admin/events/wsis-forum-2026/identity',
      ...multipart({ _csrf: participant.csrf, short_en: 'X' }),
    });
    assert.equal(refused.statusCode, 403);
    const svg = await admin.inject({
      method: 'POST',
      url: '/fr/admin/events/wsis-forum-2026/identity',
      ...multipart(
        { _csrf: admin.csrf, short_en: 'WSIS 2026', short_fr: 'SMSI 2026' },
        {
          name: 'logo',
          type: 'image/svg+xml',
          data: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>',
          ),
        },
      ),
    });
    assert.equal(svg.statusCode, 415);
    assert.match(svg.body, /SMSI 2026/, 'what was typed comes back');
    const none = await admin.inject({
      method: 'POST',
      url: '/ar/admin/events/wsis-forum-2026/identity',
      ...multipart({ _csrf: admin.csrf }),
    });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /أدخل الاسم المختصر للحدث/);
    assert.equal((await t.database.db.select().from(eventLogos)).length, 0);
  });

  it('is shown on the event’s page; another event shows the organiser’s; the logo is served as PNG', async () => {
    const res = await admin.inject({
      method: 'POST',
      url: '/en/admin/events/wsis-forum-2026/identity',
      ...multipart(
        { _csrf: admin.csrf, short_en: 'WSIS+20 Forum', short_ar: 'منتدى القمة', short_fr: 'Forum SMSI' },
        { name: 'logo', type: 'image/png', data: logo },
      ),
    });
    assert.equal(res.statusCode, 303, res.body);
    const [ev] = await t.database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    assert.equal(ev.shortName.en, 'WSIS+20 Forum');
    const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'events.identity_saved'));
    assert.ok(entry, 'audited');
    for (const lc of ['en', 'ar'] as const) {
      const page = await t.app.inject({ url: `/${lc}/events/wsis-forum-2026` });
      assert.equal(page.statusCode, 200);
      const src = /<img src="([^"]+)"[^>]*data-logo="event"/.exec(page.body)?.[1];
      assert.ok(src, `${lc}: the event's logo heads its page`);
      assert.match(page.body, lc === 'ar' ? /منتدى القمة/ : /WSIS\+20 Forum/);
      const img = await t.app.inject({ url: src });
      assert.equal(img.statusCode, 200);
      assert.equal(img.headers['content-type'], 'image/png');
      assert.ok((await redRatio(img.rawPayload)) > 0.9, 'the logo as uploaded, re-encoded');
    }
    const other = await t.app.inject({ url: '/en/events/ai-for-good-2026' });
    assert.doesNotMatch(other.body, /data-logo="event"/, 'an event without its own logo does not show another’s');
  });

  it('is on the badges of the event’s participants (PDF rendered to PNG) and heads the e-mails about it', async (tc) => {
    if (!needPoppler(tc)) return;
    const db = t.database.db;
    const [{ id: egypt }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'EG'));
    const p = await createPerson(t, { entityId: egypt });
    await db
      .update(people)
      .set({ givenName: 'ليلى', familyName: 'حسن', givenNameLatin: 'Layla', familyNameLatin: 'Hassan' })
      .where(eq(people.id, p.id));
    const as = (actor: Partial<PersonActor> & { id: string }): Ctx & { db: Db } => ({
      db,
      locale: 'en',
      now: t.clock.now(),
      actor: {
        kind: 'person',
        role: 'participant',
        capabilities: [],
        focalPointOf: [],
        entityId: null,
        via: 'session',
        ...actor,
      },
    });
    const [r] = (
      await submitRegistration(as({ id: p.id, entityId: egypt }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
      decision: 'approve',
    });

    // The decision e-mail, sent over SMTP: the event's logo inline, not the organiser's.
    const handlers = mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://', db);
    await runDueJobs(db, t.clock, handlers);
    const m = smtp.received.find((x) =>
      [x.to]
        .flat()
        .map((a) => a?.text ?? '')
        .join(' ')
        .includes(p.email),
    );
    assert.ok(m, 'the decision was sent');
    const inline = m.attachments.find((a) => a.cid === 'organiser-logo@convene');
    assert.ok(inline, 'a logo travels with the message');
    assert.ok((await redRatio(inline.content)) > 0.9, 'it is the event’s logo');

    await issueMissingBadges(db, t.clock.now());
    const [{ id: badgeId }] = await db.select({ id: badges.id }).from(badges).where(eq(badges.personId, p.id));
    const desk = await client(t, await createPerson(t, { role: 'staff', capabilities: ['badges.print'] }));
    const pdf = await desk.inject({ url: `/api/v1/badges/${badgeId}/pdf?size=A6` });
    assert.equal(pdf.statusCode, 200);
    const file = path.join(RESULTS, 'event-logo-badge-A6.pdf');
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(file, pdf.rawPayload);
    assert.match(pdfText(file), /ليلى/);
    const [png] = pdfToPngs(file, path.join(RESULTS, 'event-logo-badge-A6'), 100);
    assert.ok((await inkRatio(png)) > 0.01, 'the badge is not blank');
    assert.ok((await redRatio(png)) > 0.001, 'the event’s red logo is on the badge');

    // Without the event's logo the badge carries no red: the logo came from the event.
    await admin.inject({
      method: 'POST',
      url: '/en/admin/events/wsis-forum-2026/identity',
      ...multipart({ _csrf: admin.csrf, short_en: 'WSIS+20 Forum', remove: '1' }),
    });
    const plain = await desk.inject({ url: `/api/v1/badges/${badgeId}/pdf?size=A6` });
    const plainFile = path.join(RESULTS, 'event-logo-badge-removed-A6.pdf');
    fs.writeFileSync(plainFile, plain.rawPayload);
    const [plainPng] = pdfToPngs(plainFile, path.join(RESULTS, 'event-logo-badge-removed-A6'), 100);
    assert.ok((await inkRatio(plainPng)) > 0.01);
    assert.equal(await redRatio(plainPng), 0);
  });
});
