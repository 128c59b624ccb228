/**
 * The audit log in words, the outbox preview and the delegation view with badges and arrivals, in Chromium at
 * 360 and 1366 px in English and Arabic: no page is wider than the screen (the raw record wraps), the heading shows.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import { browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';
import { enqueue } from '../../src/platform/jobs.js';
import { auditLog, jobs } from '../../src/platform/platform.schema.js';
import { people } from '../../src/modules/accounts/index.js';
import { badges } from '../../src/modules/badges/index.js';
import { scans } from '../../src/modules/checkin/index.js';
import { entities } from '../../src/modules/entities/index.js';
import { events } from '../../src/modules/events/index.js';
import { registrations } from '../../src/modules/registration/index.js';

const skip = browserSkipReason();

describe('secretariat records and the delegation view in a browser', { skip }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let admin: TestPerson;
  let dfp: TestPerson;
  let mailId: number;
  before(async () => {
    env = await startBrowserApp();
    const { t } = env;
    const db = t.database.db;
    const [{ id: ghana }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    const [{ id: forum }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'wsis-forum-2026'));
    admin = await createPerson(t, { role: 'admin' });
    dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    await db.update(people).set({ givenName: 'Amina', familyName: 'Diallo' }).where(eq(people.id, dfp.id));
    const now = t.clock.now();
    const names = [
      ['عبد الله', 'السواحه', 'minister'],
      ['Kwame', 'Mensah', 'technical_expert'],
      ['伟', '李', 'technical_expert'],
    ];
    for (const [i, [given, family, fn]] of names.entries()) {
      const p = await createPerson(t, { entityId: ghana });
      await db.update(people).set({ givenName: given, familyName: family }).where(eq(people.id, p.id));
      const [reg] = await db
        .insert(registrations)
        .values({
          personId: p.id,
          eventId: forum,
          entityId: ghana,
          mode: 'in_person',
          state: 'approved',
          stakeholderType: 'government',
          function: fn,
          registeredBy: p.id,
          submittedAt: now,
          updatedAt: now,
        })
        .returning();
      await db.insert(auditLog).values({
        at: now,
        actor: dfp.id,
        action: 'registration.approved',
        subjectType: 'registration',
        subjectId: reg.id,
        changes: { state: ['pending_dfp', 'approved'] },
        data: { note: 'a long value '.repeat(30) },
      });
      if (i < 2) {
        const [b] = await db
          .insert(badges)
          .values({
            personId: p.id,
            token: `CVB1.e2e-${i}.mac`,
            category: 'D',
            issuedAt: now,
            printCount: 1,
            collectedAt: i === 0 ? now : null,
          })
          .returning();
        if (i === 0)
          await db.insert(scans).values({
            id: `e2e-${i}`,
            badgeId: b.id,
            checkpoint: 'event:wsis-forum-2026',
            deviceId: 'd',
            result: 'admitted',
            scannedAt: new Date('2026-07-06T07:12:00Z'),
            receivedAt: now,
            scannedBy: 'test',
          });
      }
    }
    mailId = await enqueue(db, now, 'mail.send', {
      to: 'a.very.long.address.of.a.delegate@ministry-of-communications.gov.gh',
      locale: 'ar',
      template: 'registration_decision',
      params: {
        greeting: 'السيد منسه،',
        state: 'approved',
        event: 'WSIS',
        reference: 'R-95F941F7',
        also: '',
        reason: '',
        link: 'https://convene.test/ar/registrations',
      },
      queuedAt: now.toISOString(),
    });
    await db
      .update(jobs)
      .set({
        state: 'failed',
        attempts: 5,
        lastError:
          "Error: Can't send mail - all recipients were rejected: 550 5.1.1 <a.very.long.address.of.a.delegate@ministry-of-communications.gov.gh>: Recipient address rejected: User unknown in virtual mailbox table",
      })
      .where(eq(jobs.id, mailId));
  });
  after(() => env?.close());

  for (const [who, pages] of [
    ['admin', ['admin/audit', 'admin/outbox', 'admin/outbox/MAIL']],
    ['dfp', ['focal-point/delegation?event=wsis-forum-2026']],
  ] as const)
    for (const lc of ['en', 'ar'] as const)
      for (const width of [360, 1366])
        it(`${who}: ${pages.join(', ')} at ${width} px in ${lc}`, async () => {
          const ctx = await env.browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 } });
          const person = who === 'admin' ? admin : dfp;
          await ctx.addCookies([{ name: 'cvn_session', value: person.sessionToken, url: env.base }]);
          const page = await ctx.newPage();
          for (const p of pages) {
            const url = `${env.base}/${lc}/${p.replace('MAIL', String(mailId))}`;
            const res = await page.goto(url);
            assert.equal(res?.status(), 200, url);
            if (p === 'admin/audit')
              await page
                .locator('details.audit-raw')
                .first()
                .evaluate((d) => d.setAttribute('open', ''));
            const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            assert.ok(wide <= 0, `${url} is ${wide}px wider than the screen`);
            assert.ok(await page.locator('h1').first().isVisible(), `${url}: heading visible`);
            const name = `${p.replace('MAIL', 'message').replace(/\?.*$/, '').replace(/\//g, '-').replace(String(mailId), 'message')}-${lc}-${width}.png`;
            await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
          }
          await ctx.close();
        });
});
