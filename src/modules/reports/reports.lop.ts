/**
 * The official List of Participants: approved participants who did not object to being listed (`registrations.listed`),
 * for an event (with its parts) or the whole week, each person once. Grouped by Member State (UN names, in the order
 * of the reader's language), then the other kinds of entity in the order the secretariat sets (app setting
 * `reports.lop_kind_order`, a JSON array of entity kinds; default: the entities module's order), then people who
 * represent no entity. Within a delegation: the head of delegation first — the person of highest protocol rank
 * (VIP category, then function) — then by protocol rank, then by name.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { collator, countryName } from '../../platform/i18n/countries.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { text } from '../../platform/i18n/localized.js';
import { comparePeople, type PersonName } from '../../platform/i18n/names.js';
import { authorize } from '../../platform/permissions.js';
import { appSettings } from '../../platform/platform.schema.js';
import { ENTITY_KINDS, type EntityKind } from '../entities/index.js';
import { FUNCTIONS, VIP_CATEGORIES } from '../registration/index.js';
import { toFilter } from './reports.figures.js';
import { registrationWhere, rowsOf } from './reports.queries.js';

export type LopEntry = PersonName & {
  personId: string;
  jobTitle: string;
  vipCategory: string | null;
  function: string;
  head: boolean;
};
export type LopGroup = {
  entityId: number | null;
  kind: string | null;
  code: string | null;
  heading: string;
  organisation: string;
  entries: LopEntry[];
};
export type Lop = { groups: LopGroup[]; total: number };

const rankOf = (e: Pick<LopEntry, 'vipCategory' | 'function'>) => {
  const v = e.vipCategory ? (VIP_CATEGORIES as readonly string[]).indexOf(e.vipCategory) : -1;
  const f = (FUNCTIONS as readonly string[]).indexOf(e.function);
  return (v < 0 ? 100 : v) * 1000 + (f < 0 ? 999 : f);
};

const KIND_ORDER_KEY = 'reports.lop_kind_order';

/**
 * The secretariat's order of the kinds of entity: Member States first, always; then the kinds as set, then any kind
 * not set (a kind added later) in the entities module's order. A setting that cannot be read counts as none.
 */
export async function lopKindOrder(db: DbOrTx): Promise<EntityKind[]> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, KIND_ORDER_KEY));
  let set: string[] = [];
  try {
    const v = row ? JSON.parse(row.value) : [];
    set = Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    set = [];
  }
  const known = set.filter((k): k is EntityKind => (ENTITY_KINDS as readonly string[]).includes(k));
  const rest = ENTITY_KINDS.filter((k) => k !== 'member_state' && !known.includes(k));
  return ['member_state', ...new Set(known.filter((k) => k !== 'member_state')), ...rest];
}

/**
 * Sets the order of the kinds after the Member States (which stay first): `order` names each other kind once.
 * Audited (`reports.lop_kind_order_set`, before and after). Throws `invalid_input` for a list that is not a
 * permutation of the other kinds.
 */
export async function setLopKindOrder(ctx: Ctx & { db: Db }, order: string[]): Promise<EntityKind[]> {
  authorize(ctx, 'reports.view');
  const others = ENTITY_KINDS.filter((k) => k !== 'member_state');
  const clean = order.filter((k) => k !== 'member_state');
  if (clean.length !== others.length || new Set(clean).size !== clean.length || !others.every((k) => clean.includes(k)))
    throw new DomainError('invalid_input', 400);
  return ctx.db.transaction(async (tx) => {
    const before = await lopKindOrder(tx);
    await tx
      .insert(appSettings)
      .values({ key: KIND_ORDER_KEY, value: JSON.stringify(clean) })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: JSON.stringify(clean) } });
    const after = await lopKindOrder(tx);
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'reports.lop_kind_order_set',
        subjectType: 'setting',
        subjectId: KIND_ORDER_KEY,
        before: { order: before },
        after: { order: after },
      },
    );
    return after;
  });
}

type Row = {
  person_id: string;
  honorific: string;
  given_name: string;
  family_name: string;
  given_name_latin: string;
  family_name_latin: string;
  name_order: string;
  nationality: string | null;
  job_title: string;
  vip_category: string | null;
  function: string;
  entity_id: number | null;
  kind: string | null;
  code: string | null;
  name: Record<string, string> | null;
};

export async function getListOfParticipants(ctx: Ctx, input: { event?: string }, locale: Locale): Promise<Lop> {
  authorize(ctx, 'reports.view');
  const f = await toFilter(ctx, { event: input.event });
  // One line per person: of several registrations, the one of highest protocol category.
  const res = await ctx.db.execute(sql`
    select distinct on (r.person_id) r.person_id, p.honorific, p.given_name, p.family_name, p.given_name_latin,
      p.family_name_latin, p.name_order, p.nationality, p.job_title, r.vip_category, r.function, r.entity_id,
      e.kind, e.code, e.name
    from registrations r
    join people p on p.id = r.person_id
    left join entities e on e.id = r.entity_id
    where r.state = 'approved' and r.listed and p.erased_at is null and ${registrationWhere(f)}
    order by r.person_id, r.vip_category nulls last, r.submitted_at`);
  const rows = rowsOf<Row>(res);
  const groups = new Map<string, LopGroup>();
  for (const r of rows) {
    const key = r.entity_id == null ? 'none' : String(r.entity_id);
    let g = groups.get(key);
    if (!g) {
      const organisation = r.name ? text(r.name, locale) : '';
      g = {
        entityId: r.entity_id,
        kind: r.kind,
        code: r.code,
        heading:
          r.kind === 'member_state' && r.code
            ? countryName(locale, r.code)
            : organisation || (r.entity_id == null ? '' : String(r.entity_id)),
        organisation,
        entries: [],
      };
      groups.set(key, g);
    }
    g.entries.push({
      personId: r.person_id,
      honorific: r.honorific,
      givenName: r.given_name,
      familyName: r.family_name,
      givenNameLatin: r.given_name_latin,
      familyNameLatin: r.family_name_latin,
      nameOrder: r.name_order,
      nationality: r.nationality,
      jobTitle: r.job_title,
      vipCategory: r.vip_category,
      function: r.function,
      head: false,
    });
  }
  const byName = comparePeople(locale);
  for (const g of groups.values()) {
    g.entries.sort((a, b) => rankOf(a) - rankOf(b) || byName(a, b));
    if (g.entityId != null && g.entries.length) g.entries[0].head = true;
  }
  const order: string[] = await lopKindOrder(ctx.db);
  const c = collator(locale);
  const kindIndex = (g: LopGroup) => (g.entityId == null ? order.length : Math.max(0, order.indexOf(g.kind ?? '')));
  const sorted = [...groups.values()].sort((a, b) => kindIndex(a) - kindIndex(b) || c.compare(a.heading, b.heading));
  return { groups: sorted, total: rows.length };
}
