/**
 * The speakers of a session as an audience of the secretariat's messages (the letters module's `messageAudience`
 * slot): the session chosen by its code (`WSIS-101`), its speakers and moderators who have an account (their address
 * and preferred language), optionally only the speakers or only the moderators. Speakers typed in without an account
 * have no address: the preview counts them as unreachable.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { text } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import { fullName } from '../../platform/i18n/names.js';
import { people } from '../accounts/accounts.schema.js';
import type { AudienceSource } from '../letters/index.js';
import { sessions, sessionSpeakers } from './programme.schema.js';

const KINDS = ['speaker', 'moderator'] as const;

export const speakersAudience: AudienceSource = {
  key: 'session_speakers',
  label: (locale) => translate(locale, 'programme_editor.audience.label'),
  target: {
    label: (locale) => translate(locale, 'programme_editor.audience.session'),
    hint: (locale) => translate(locale, 'programme_editor.audience.session_hint'),
  },
  variants: {
    label: (locale) => translate(locale, 'programme_editor.audience.kind'),
    options: (locale) => KINDS.map((k) => [k, translate(locale, `programme_editor.audience.kind_${k}`)]),
  },
  async resolve(db, { target, variant, locale }) {
    const code = target.trim();
    if (!code) return undefined;
    const [session] = await db
      .select({ id: sessions.id, code: sessions.code, title: sessions.title })
      .from(sessions)
      .where(sql`upper(${sessions.code}) = upper(${code})`);
    if (!session) return undefined;
    const kind = KINDS.find((k) => k === variant);
    const rows = await db
      .select({
        email: people.email,
        erasedAt: people.erasedAt,
        givenName: people.givenName,
        familyName: people.familyName,
        nameOrder: people.nameOrder,
        nationality: people.nationality,
        locale: people.preferredLocale,
        entityId: people.entityId,
      })
      .from(sessionSpeakers)
      .leftJoin(people, eq(people.id, sessionSpeakers.personId))
      .where(and(eq(sessionSpeakers.sessionId, session.id), kind ? eq(sessionSpeakers.kind, kind) : undefined))
      .orderBy(asc(sessionSpeakers.position));
    const reachable = rows.filter((r) => r.email && !r.erasedAt);
    return {
      title: `${session.code} · ${text(session.title, locale)}`,
      unreachable: rows.length - reachable.length,
      members: reachable.map((r) => ({
        email: r.email!,
        name: fullName({
          givenName: r.givenName ?? '',
          familyName: r.familyName ?? '',
          nameOrder: r.nameOrder,
          nationality: r.nationality,
        }),
        locale: r.locale ?? 'en',
        entityId: r.entityId,
      })),
    };
  },
};
