/**
 * `npm run convene -- seed:demo --participants N [--seed S]`: a realistic summit, deterministic from the seed number.
 *
 * Participants from up to 169 Member States weighted like a UN summit (large host delegation, big delegations from
 * large States, one or two from small ones), names in their own script with Latin transliterations, the category
 * mix of 2025 (ministers and regulators, UN representatives, ambassadors, CEOs, civil society, youth, academics),
 * registrations in every state, Designated Focal Points for most Member States, programme sessions up to 500,
 * High-Level Track speaking requests (accepted ones in its sessions), badges for approved in-person registrations
 * and check-ins at the WSIS Forum door for a share of them.
 *
 * Also the accounts the benchmark drives, each with a personal API token (`demoToken`): a secretariat staff member
 * (scan, review, reports, badge desk), an administrator, every focal point, and applicants without registrations. The
 * tokens derive from a secret drawn at random for each run (never from the seed or a constant in the code: anyone can
 * read those); the command line writes it to a file beside the data (tokens-file.ts), where the benchmark reads it.
 * For demonstration and benchmark databases only: it refuses a database that holds anyone it did not create (a real
 * database: its demo administrator could read them) and one it has already filled.
 *
 * Rows go in with multi-row INSERTs in batches inside one transaction; the same code runs on PGlite and PostgreSQL.
 */
import { Refusal } from '../refusal.js';
import { createHmac, randomBytes } from 'node:crypto';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from '../db/client.js';
import { apiTokens, people, sha256 } from '../modules/accounts/index.js';
import { entities, focalPoints } from '../modules/entities/index.js';
import { events, rooms } from '../modules/events/index.js';
import { searchTextOf, sessions, sessionSpeakers, syncSpeakerProfiles, tracks } from '../modules/programme/index.js';
import {
  registrationReference,
  registrations,
  registrationSettings,
  type RegistrationState,
} from '../modules/registration/index.js';
import { BADGE_PREFIX, badges, categoryFor, fold } from '../modules/badges/index.js';
import { rebuildCheckpointTallies, scans } from '../modules/checkin/index.js';
import { rebuildTallies } from '../modules/reports/index.js';
import { type Rank, type SpeakingState, speakingRequests } from '../modules/speaking/index.js';
import { sign, signingKey } from '../platform/signing.js';
import { fullName, latinName, type PersonName } from '../platform/i18n/names.js';
import { COUNTRY_WEIGHT, everydayHonorific, type Gender, pickName, poolFor, type Script } from './names.js';

export const DEMO_EMAIL_DOMAIN = 'demo.convene.test';
export const MAX_PARTICIPANTS = 200_000;
export const MAX_COUNTRIES = 169;
export const TARGET_SESSIONS = 500;
/** The door the check-ins are at, and the one the benchmark scans. */
export const DEMO_CHECKPOINT = 'event:wsis-forum-2026';

export type DemoOptions = {
  participants: number;
  seed?: number;
  benchAccounts?: number;
  /** The secret the demo accounts' API tokens derive from; drawn at random when not given. */
  tokenSecret?: string;
  now: Date;
  log?: (line: string) => void;
};

export type DemoReport = {
  seed: number;
  participants: number;
  countries: number;
  people: number;
  registrations: Record<RegistrationState, number>;
  focalPoints: number;
  sessions: number;
  speakingRequests: number;
  badges: number;
  scans: number;
  tokens: number;
  /** The secret of this run's demo API tokens (`demoToken(tokenSecret, label)`). */
  tokenSecret: string;
  timings: Record<string, number>;
};

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const uuid = () => {
    const h = Array.from({ length: 4 }, () => ((next() * 2 ** 32) >>> 0).toString(16).padStart(8, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  return { next, int, pick, uuid, chance: (p: number) => next() < p };
}

/** A secret for one run's demo API tokens: 256 random bits. */
export const newDemoSecret = () => randomBytes(32).toString('base64url');

/** The personal API token of a demo account: derived from the run's secret and the account's label. */
export function demoToken(secret: string, label: string): string {
  if (secret.length < 32) throw new Error('A demo token secret has at least 32 characters.');
  return `cvn_${createHmac('sha256', `convene-demo:${secret}`).update(label).digest('base64url').slice(0, 40)}`;
}
export const demoEmail = (label: string) => `${label}@${DEMO_EMAIL_DOMAIN}`;

/** Functions (registration `function`) with their share, stakeholder type, and a floor so small runs have each. */
const CATEGORY_MIX: {
  fn: string;
  share: number;
  min: number;
  stakeholder: string;
  government?: boolean;
  honorific?: string;
  title: string;
}[] = [
  {
    fn: 'head_of_state',
    share: 0.0008,
    min: 1,
    stakeholder: 'government',
    government: true,
    honorific: 'H.E.',
    title: 'President',
  },
  {
    fn: 'minister',
    share: 0.0095,
    min: 4,
    stakeholder: 'government',
    government: true,
    honorific: 'H.E.',
    title: 'Minister of Communications and Digital Economy',
  },
  {
    fn: 'deputy_minister',
    share: 0.006,
    min: 2,
    stakeholder: 'government',
    government: true,
    honorific: 'H.E.',
    title: 'Deputy Minister',
  },
  {
    fn: 'head_of_regulator',
    share: 0.0055,
    min: 3,
    stakeholder: 'government',
    government: true,
    honorific: 'Dr',
    title: 'Chair, National Regulatory Authority',
  },
  {
    fn: 'ambassador',
    share: 0.012,
    min: 3,
    stakeholder: 'government',
    government: true,
    honorific: 'H.E.',
    title: 'Ambassador, Permanent Representative',
  },
  {
    fn: 'un_official',
    share: 0.006,
    min: 3,
    stakeholder: 'international_organization',
    title: 'Representative, United Nations',
  },
  { fn: 'ceo', share: 0.05, min: 3, stakeholder: 'private_sector', title: 'Chief Executive Officer' },
  { fn: 'civil_society', share: 0.16, min: 3, stakeholder: 'civil_society', title: 'Programme Director' },
  { fn: 'youth', share: 0.09, min: 3, stakeholder: 'youth', title: 'Youth Delegate' },
  { fn: 'academia', share: 0.13, min: 3, stakeholder: 'academia', honorific: 'Prof.', title: 'Professor' },
  { fn: 'technical_expert', share: 0.25, min: 3, stakeholder: 'technical_community', title: 'Senior Engineer' },
  { fn: 'media', share: 0.03, min: 2, stakeholder: 'media', title: 'Correspondent' },
  { fn: 'other', share: 0, min: 0, stakeholder: 'government', government: true, title: 'Counsellor' }, // the rest: government delegates
];

/** Shares of registration states among requests (approved when a place is left). */
const STATE_MIX: [RegistrationState, number][] = [
  ['approved', 0.7],
  ['pending_dfp', 0.1],
  ['pending_secretariat', 0.06],
  ['waitlisted', 0.03],
  ['rejected', 0.05],
  ['withdrawn', 0.06],
];

type Person = typeof people.$inferInsert;

/**
 * Inserts rows in batches of one statement each: the rows travel as one JSON parameter that PostgreSQL unpacks with
 * `json_populate_recordset` (far cheaper than thousands of bind parameters, and the same on PGlite and PostgreSQL).
 * Columns no row sets keep their defaults.
 */
async function insertMany<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: T['$inferInsert'][],
  batch = 5000,
): Promise<void> {
  if (!rows.length) return;
  const columns = getTableColumns(table) as Record<
    string,
    { name: string; mapToDriverValue?: (v: unknown) => unknown }
  >;
  const used = Object.keys(columns).filter((k) =>
    rows.some((row) => (row as Record<string, unknown>)[k] !== undefined),
  );
  const names = sql.join(
    used.map((k) => sql.identifier(columns[k].name)),
    sql`, `,
  );
  for (let i = 0; i < rows.length; i += batch) {
    const json = JSON.stringify(
      rows
        .slice(i, i + batch)
        .map((row) =>
          Object.fromEntries(used.map((k) => [columns[k].name, (row as Record<string, unknown>)[k] ?? null])),
        ),
    );
    await db.execute(
      sql`insert into ${table} (${names}) select ${names} from json_populate_recordset(null::${table}, ${json}::json)`,
    );
  }
}

const localized = (en: string, fr: string, es: string, ar: string, zh: string, ru: string) => ({
  en,
  fr,
  es,
  ar,
  zh,
  ru,
});

const TOPICS = [
  localized(
    'Artificial intelligence for sustainable development',
    "L'intelligence artificielle au service du développement durable",
    'La inteligencia artificial para el desarrollo sostenible',
    'الذكاء الاصطناعي من أجل التنمية المستدامة',
    '人工智能促进可持续发展',
    'Искусственный интеллект в интересах устойчивого развития',
  ),
  localized(
    'Meaningful connectivity in rural areas',
    'Une connectivité utile dans les zones rurales',
    'Conectividad significativa en zonas rurales',
    'التوصيلية المجدية في المناطق الريفية',
    '农村地区的有意义连接',
    'Полноценная связь в сельских районах',
  ),
  localized(
    'Cybersecurity and trust',
    'Cybersécurité et confiance',
    'Ciberseguridad y confianza',
    'الأمن السيبراني والثقة',
    '网络安全与信任',
    'Кибербезопасность и доверие',
  ),
  localized(
    'Digital public infrastructure',
    'Infrastructure publique numérique',
    'Infraestructura pública digital',
    'البنية التحتية الرقمية العامة',
    '数字公共基础设施',
    'Цифровая общественная инфраструктура',
  ),
  localized(
    'Gender equality in the digital age',
    "L'égalité des genres à l'ère numérique",
    'La igualdad de género en la era digital',
    'المساواة بين الجنسين في العصر الرقمي',
    '数字时代的性别平等',
    'Гендерное равенство в цифровую эпоху',
  ),
  localized(
    'E-health and telemedicine',
    'Cybersanté et télémédecine',
    'Ciber salud y telemedicina',
    'الصحة الإلكترونية والتطبيب عن بعد',
    '电子卫生与远程医疗',
    'Электронное здравоохранение и телемедицина',
  ),
  localized(
    'Digital skills for youth',
    'Compétences numériques pour les jeunes',
    'Competencias digitales para la juventud',
    'المهارات الرقمية للشباب',
    '青年数字技能',
    'Цифровые навыки для молодёжи',
  ),
  localized(
    'Satellites and spectrum',
    'Satellites et spectre',
    'Satélites y espectro',
    'السواتل والطيف',
    '卫星与频谱',
    'Спутники и спектр',
  ),
  localized(
    'Multilingual content online',
    'Contenus multilingues en ligne',
    'Contenidos multilingües en línea',
    'المحتوى المتعدد اللغات على الإنترنت',
    '多语种网络内容',
    'Многоязычный контент в интернете',
  ),
  localized(
    'Climate action and ICTs',
    'Action climatique et TIC',
    'Acción climática y TIC',
    'العمل المناخي وتكنولوجيا المعلومات والاتصالات',
    '气候行动与信通技术',
    'Борьба с изменением климата и ИКТ',
  ),
];
const FORMATS = [
  localized('a workshop', 'un atelier', 'un taller', 'حلقة عمل', '研讨会', 'семинар'),
  localized('a dialogue', 'un dialogue', 'un diálogo', 'حوار', '对话', 'диалог'),
  localized(
    'lessons from the regions',
    'enseignements des régions',
    'lecciones de las regiones',
    'دروس من المناطق',
    '各区域的经验',
    'уроки регионов',
  ),
  localized('what works', 'ce qui fonctionne', 'lo que funciona', 'ما الذي ينجح', '行之有效的做法', 'что работает'),
];

/**
 * Generates and inserts the summit. Refuses a database that holds a person it did not create (a real one) or that it
 * has already filled.
 */
export async function seedDemo(db: Db, opts: DemoOptions): Promise<DemoReport> {
  const n = Math.floor(opts.participants);
  if (!(n >= 1 && n <= MAX_PARTICIPANTS))
    throw new Refusal(`--participants must be between 1 and ${MAX_PARTICIPANTS}.`);
  const seed = opts.seed ?? 2026;
  const benchAccounts = opts.benchAccounts ?? Math.min(5000, Math.max(20, n));
  const log = opts.log ?? (() => {});
  const r = rng(seed);
  const now = opts.now;
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const t = performance.now();
    timings[name] = Math.round(t - t0);
    log(`  ${name}: ${timings[name]} ms`);
    t0 = t;
  };

  const tokenSecret = opts.tokenSecret ?? newDemoSecret();
  const [{ others, demo }] = await db
    .select({
      others: sql<number>`count(*) filter (where ${people.email} not like ${`%@${DEMO_EMAIL_DOMAIN}`})::int`,
      demo: sql<number>`count(*) filter (where ${people.email} like ${`%@${DEMO_EMAIL_DOMAIN}`})::int`,
    })
    .from(people);
  if (others > 0)
    throw new Refusal(
      `The database holds ${others} ${others === 1 ? 'person' : 'people'} that seed:demo did not create: it is not a ` +
        'demonstration database, and seed:demo never adds demo accounts (an administrator among them) to a real ' +
        'one. Run it on an empty, freshly migrated database (another CONVENE_DATA_DIR or DATABASE_URL).',
    );
  const [{ count: existing }] = await db.select({ count: sql<number>`count(*)::int` }).from(registrations);
  if (existing > 0 || demo > 0)
    throw new Refusal(
      'The database already holds demo data: seed:demo runs on an empty (freshly migrated) database only.',
    );

  const memberStates = (await db.select().from(entities).where(eq(entities.kind, 'member_state'))).sort((a, b) =>
    (a.code ?? '').localeCompare(b.code ?? ''),
  );
  const allEvents = await db.select().from(events);
  const ev = (slug: string) => {
    const e = allEvents.find((x) => x.slug === slug);
    if (!e) throw new Error(`The seed has no event ${slug}.`);
    return e;
  };
  const wsis = ev('wsis-forum-2026');
  const aifg = ev('ai-for-good-2026');
  const dialogue = ev('global-dialogue-ai-governance-2026');
  const hlt = ev('wsis-high-level-track-2026');
  const rrt = ev('regulators-roundtable-2026');
  const opening = ev('opening-ceremony-2026');

  // Countries: a deterministic choice of up to 169 Member States, the weighted ones always in.
  const shuffled = [...memberStates].sort(
    (a, b) =>
      (COUNTRY_WEIGHT[b.code!] ?? 0) - (COUNTRY_WEIGHT[a.code!] ?? 0) || hash(seed, a.code!) - hash(seed, b.code!),
  );
  const countries = shuffled.slice(0, Math.min(MAX_COUNTRIES, n, memberStates.length));
  const weights = countries.map((c) => COUNTRY_WEIGHT[c.code!] ?? 1);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w), 0);
  const total = cumulative[cumulative.length - 1];
  const weightedCountry = () => {
    const x = r.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return countries[lo];
  };

  // Functions: the floors first, then the shares, the rest government delegates; shuffled.
  const fns: (typeof CATEGORY_MIX)[number][] = [];
  for (const c of CATEGORY_MIX) for (let i = 0; i < Math.max(c.min, Math.round(c.share * n)); i++) fns.push(c);
  while (fns.length < n) fns.push(CATEGORY_MIX[CATEGORY_MIX.length - 1]);
  fns.length = n;
  for (let i = fns.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [fns[i], fns[j]] = [fns[j], fns[i]];
  }

  const created = new Date(now.getTime() - 60 * 86_400_000);
  const personRow = (
    id: string,
    label: string,
    country: (typeof countries)[number] | undefined,
    extra: Partial<Person>,
  ): Person => {
    const pool = poolFor(country?.code ?? 'US');
    // About two in five delegates are women; the given name, the family name's form and the honorific follow.
    const gender: Gender = r.chance(0.42) ? 'f' : 'm';
    const [given, givenLatin, family, familyLatin] = pickName(pool, gender, r.pick);
    return {
      id,
      email: demoEmail(label),
      emailVerifiedAt: created,
      givenName: given,
      familyName: family,
      givenNameLatin: givenLatin,
      familyNameLatin: familyLatin,
      role: 'participant',
      capabilities: [],
      honorific: everydayHonorific(gender, r.next()),
      jobTitle: '',
      function: '',
      entityId: null,
      preferredLocale: pool.locale,
      nationality: country?.code ?? null,
      // The optional gender of the profile, as people answer it: mostly given, one in ten not, a few "another" (from
      // the seed's hash, so the generator's other draws stay as they were).
      gender: ((h) => (h < 10 ? null : h < 11 ? 'another' : gender === 'f' ? 'female' : 'male'))(
        hash(seed, `gender-${label}`) % 100,
      ),
      createdAt: created,
      updatedAt: created,
      ...extra,
    };
  };

  // Participants.
  const participants: (Person & { fn: (typeof CATEGORY_MIX)[number]; country: (typeof countries)[number] })[] = [];
  for (let i = 0; i < n; i++) {
    const country = i < countries.length ? countries[i] : weightedCountry();
    const fn = fns[i];
    const p = personRow(r.uuid(), `p${i + 1}`, country, {
      ...(fn.honorific ? { honorific: fn.honorific } : {}),
      jobTitle: fn.title,
      function: fn.fn,
      entityId: fn.government ? country.id : null,
    });
    participants.push({ ...p, fn, country });
  }
  // Focal points: most Member States among the countries (85 %), one account each.
  const dfps = countries
    .filter((c) => hash(seed, `dfp-${c.code}`) % 100 < 85)
    .map((c) => ({
      ...personRow(r.uuid(), `dfp-${c.code!.toLowerCase()}`, c, {
        entityId: c.id,
        function: 'other',
        jobTitle: 'Designated Focal Point',
      }),
      entity: c,
    }));
  const dfpEntities = new Set(dfps.map((d) => d.entity.id));
  const staff = personRow(r.uuid(), 'bench-staff', undefined, {
    role: 'staff',
    capabilities: ['checkin.scan', 'registration.review', 'reports.view', 'badges.print', 'speaking.review'],
    jobTitle: 'Secretariat',
  });
  const admin = personRow(r.uuid(), 'bench-admin', undefined, { role: 'admin', jobTitle: 'Secretariat administrator' });
  // Applicants: people of a Member State with a focal point and no registration yet (the benchmark registers them).
  const applicantCountries = countries.filter((c) => dfpEntities.has(c.id));
  const applicants = Array.from({ length: benchAccounts }, (_, i) => {
    const c = applicantCountries[i % applicantCountries.length] ?? countries[0];
    return personRow(r.uuid(), `applicant${i + 1}`, c, { entityId: c.id, function: 'other', jobTitle: 'Delegate' });
  });
  lap('people generated');

  await db.transaction(async (tx) => {
    const everyone = [
      ...participants.map(({ fn: _f, country: _c, ...p }) => p),
      ...dfps.map(({ entity: _e, ...p }) => p),
      staff,
      admin,
      ...applicants,
    ];
    await insertMany(tx, people, everyone);
    await insertMany(
      tx,
      focalPoints,
      dfps.map((d) => ({ entityId: d.entity.id, personId: d.id!, appointedAt: created, appointedBy: admin.id! })),
    );
    const tokenRows = [
      { label: 'bench-staff', personId: staff.id! },
      { label: 'bench-admin', personId: admin.id! },
      ...dfps.map((d) => ({ label: `dfp-${d.entity.code!.toLowerCase()}`, personId: d.id! })),
      ...applicants.map((a, i) => ({ label: `applicant${i + 1}`, personId: a.id! })),
    ].map((t) => {
      const token = demoToken(tokenSecret, t.label);
      return {
        personId: t.personId,
        name: 'demo',
        tokenHash: sha256(token),
        prefix: token.slice(0, 10),
        createdAt: now,
        expiresAt: new Date(now.getTime() + 365 * 86_400_000),
      };
    });
    await insertMany(tx, apiTokens, tokenRows);
    lap(`people inserted (${everyone.length}), focal points (${dfps.length}), tokens (${tokenRows.length})`);
  });

  // Capacity: the opening ceremony holds a fifth of the participants in person; the rest wait.
  const openingCapacity = Math.max(10, Math.round(n * 0.2));
  await db
    .insert(registrationSettings)
    .values({ eventId: opening.id, capacity: openingCapacity, updatedAt: now })
    .onConflictDoUpdate({ target: registrationSettings.eventId, set: { capacity: openingCapacity, updatedAt: now } });
  const capacityOf = new Map<number, number>();
  for (const s of await db.select().from(registrationSettings))
    if (s.capacity != null) capacityOf.set(s.eventId, s.capacity);
  const approvedInPerson = new Map<number, number>();

  // Registrations: most to the WSIS Forum, many to AI for Good, delegations to the High-Level Track.
  const regs: (typeof registrations.$inferInsert)[] = [];
  const counts = Object.fromEntries(STATE_MIX.map(([s]) => [s, 0])) as Record<RegistrationState, number>;
  const pickState = (entityHasDfp: boolean): RegistrationState => {
    let x = r.next();
    for (const [s, share] of STATE_MIX) {
      if ((x -= share) < 0) return s === 'pending_dfp' && !entityHasDfp ? 'pending_secretariat' : s;
    }
    return 'approved';
  };
  const staffId = staff.id!;
  for (const p of participants) {
    const gov = !!p.fn.government;
    const wanted = new Set<(typeof allEvents)[number]>();
    if (r.chance(0.88)) wanted.add(wsis);
    if (r.chance(p.fn.fn === 'technical_expert' || p.fn.fn === 'ceo' || p.fn.fn === 'academia' ? 0.55 : 0.3))
      wanted.add(aifg);
    if (r.chance(gov ? 0.25 : 0.08)) wanted.add(dialogue);
    if (gov && ['head_of_state', 'minister', 'deputy_minister', 'ambassador'].includes(p.fn.fn)) wanted.add(hlt);
    if (p.fn.fn === 'head_of_regulator') wanted.add(rrt);
    if (r.chance(0.3)) wanted.add(opening);
    if (!wanted.size) wanted.add(wsis);
    const mode = r.chance(0.78) ? 'in_person' : 'remote';
    const hasDfp = p.entityId != null && dfpEntities.has(p.entityId);
    const submittedAt = new Date(now.getTime() - (1 + r.int(50)) * 86_400_000 - r.int(86_400_000));
    for (const e of [...wanted].sort((a, b) => a.id - b.id)) {
      let state = pickState(hasDfp);
      const vip = p.fn.fn === 'head_of_state' ? 'VVIP' : p.fn.fn === 'minister' ? 'MIN' : null;
      if (vip && state === 'pending_dfp') state = 'pending_secretariat';
      if (state === 'approved' && mode === 'in_person' && capacityOf.has(e.id)) {
        const taken = approvedInPerson.get(e.id) ?? 0;
        if (taken >= capacityOf.get(e.id)!) state = 'waitlisted';
      }
      if (state === 'approved' && mode === 'in_person')
        approvedInPerson.set(e.id, (approvedInPerson.get(e.id) ?? 0) + 1);
      const decided = state === 'approved' || state === 'rejected' || state === 'waitlisted';
      counts[state]++;
      regs.push({
        id: r.uuid(),
        personId: p.id!,
        eventId: e.id,
        entityId: p.entityId ?? null,
        mode,
        state,
        stakeholderType: p.fn.stakeholder,
        function: p.fn.fn,
        vipCategory: vip,
        reason: state === 'rejected' ? 'Not eligible for this event' : null,
        registeredBy: p.id!,
        decidedBy: decided ? staffId : null,
        decidedAt: decided ? new Date(submittedAt.getTime() + 86_400_000) : null,
        submittedAt,
        updatedAt: submittedAt,
      });
    }
  }
  lap(`registrations generated (${regs.length})`);
  await db.transaction(async (tx) => insertMany(tx, registrations, regs));
  lap('registrations inserted');

  // Sessions: up to 500 in all, spread over the events' days and the rooms, free slots only.
  const roomRows = await db.select().from(rooms);
  const trackRows = await db.select().from(tracks);
  const hltTrack = trackRows.find((x) => x.slug === 'high-level');
  const otherTracks = trackRows.filter((x) => x !== hltTrack);
  const existingSessions = await db
    .select({ id: sessions.id, roomId: sessions.roomId, startsAt: sessions.startsAt, endsAt: sessions.endsAt })
    .from(sessions);
  const booked = existingSessions.map((s) => ({
    roomId: s.roomId,
    from: s.startsAt.getTime(),
    to: s.endsAt.getTime(),
  }));
  const free = (roomId: number, from: number, to: number) =>
    !booked.some((b) => b.roomId === roomId && b.from < to && from < b.to);
  const SLOTS = ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00', '18:00'].map(
    (h) => [h, h.replace(':00', ':50')],
  );
  const hosts = [wsis, wsis, wsis, aifg, aifg, dialogue, hlt];
  const speakerPool = participants.filter((p) => !['youth'].includes(p.fn.fn));
  const newSessions: (typeof sessions.$inferInsert & { speakers: (typeof sessionSpeakers.$inferInsert)[] })[] = [];
  let code = 0;
  outer: for (let round = 0; round < 8; round++) {
    for (const host of hosts) {
      const days = dayRange(host.startDate, host.endDate);
      for (const day of days) {
        for (const room of roomRows) {
          for (const [from, to] of SLOTS) {
            if (existingSessions.length + newSessions.length >= TARGET_SESSIONS) break outer;
            const startsAt = new Date(`${day}T${from}:00+02:00`);
            const endsAt = new Date(`${day}T${to}:00+02:00`);
            if (!free(room.id, startsAt.getTime(), endsAt.getTime()) || r.chance(0.35)) continue;
            booked.push({ roomId: room.id, from: startsAt.getTime(), to: endsAt.getTime() });
            code++;
            const topic = r.pick(TOPICS);
            const format = r.pick(FORMATS);
            const title = Object.fromEntries(
              Object.entries(topic).map(([lc, t]) => [lc, `${t}: ${format[lc as keyof typeof format]}`]),
            );
            const speakers = Array.from({ length: 2 + r.int(4) }, (_, i) => {
              const s = r.pick(speakerPool);
              return {
                sessionId: 0,
                position: i + 1,
                name: fullName(s as PersonName),
                nameLatin: latinName(s as PersonName),
                role: { en: s.jobTitle ?? '' },
                organization: s.country.name.en ?? s.country.code!,
                country: s.country.code,
              };
            });
            newSessions.push({
              code: `DEMO-${String(code).padStart(3, '0')}`,
              eventId: host.id,
              // The High-Level Track's sessions, and only they, are on its track (8–9 July, the Track's days).
              trackId: host === hlt ? (hltTrack?.id ?? null) : otherTracks.length ? r.pick(otherTracks).id : null,
              roomId: room.id,
              startsAt,
              endsAt,
              title,
              description: {},
              format: host === hlt ? 'high_level' : r.pick(['panel', 'workshop', 'dialogue']),
              searchText: searchTextOf(title, {}, speakers),
              updatedAt: now,
              speakers,
            });
          }
        }
      }
    }
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < newSessions.length; i += 200) {
      const chunk = newSessions.slice(i, i + 200);
      const ids = await tx
        .insert(sessions)
        .values(chunk.map(({ speakers: _s, ...s }) => s))
        .returning({ id: sessions.id, code: sessions.code });
      const idOf = new Map(ids.map((x) => [x.code, x.id]));
      const sp = chunk.flatMap((s) => s.speakers.map((x) => ({ ...x, sessionId: idOf.get(s.code)! })));
      if (sp.length) await tx.insert(sessionSpeakers).values(sp);
    }
    await syncSpeakerProfiles(tx, now);
  });
  const sessionCount = existingSessions.length + newSessions.length;
  lap(`sessions inserted (${newSessions.length} new, ${sessionCount} in all)`);

  // Speaking requests at the High-Level Track: policy statements from most Member States with a focal point, some
  // ministerial roundtable requests; accepted ones assigned to the Track's sessions in turn.
  const hltSessions = (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.eventId, hlt.id)))
    .map((s) => s.id)
    .sort((a, b) => a - b);
  const ministerOf = new Map<number, (typeof participants)[number]>();
  for (const p of participants)
    if (p.entityId != null && (p.fn.fn === 'minister' || p.fn.fn === 'head_of_state') && !ministerOf.has(p.entityId))
      ministerOf.set(p.entityId, p);
  const speaking: (typeof speakingRequests.$inferInsert)[] = [];
  let slot = 0;
  for (const d of dfps) {
    for (const [kind, share] of [
      ['policy_statement', 0.9],
      ['ministerial_roundtable', 0.25],
    ] as const) {
      if (!r.chance(share)) continue;
      const x = r.next();
      const state: SpeakingState =
        x < 0.55 ? 'accepted' : x < 0.75 ? 'submitted' : x < 0.87 ? 'waitlisted' : x < 0.95 ? 'declined' : 'withdrawn';
      const m = ministerOf.get(d.entity.id);
      const pool = poolFor(d.entity.code!);
      const [given, givenLatin, family, familyLatin] = m
        ? [m.givenName!, m.givenNameLatin!, m.familyName!, m.familyNameLatin!]
        : pickName(pool, r.chance(0.42) ? 'f' : 'm', r.pick);
      const rank: Rank =
        m?.fn.fn === 'head_of_state'
          ? 'head_of_state'
          : m
            ? 'minister'
            : r.pick(['minister', 'deputy_minister', 'ambassador'] as const);
      const at = new Date(now.getTime() - (2 + r.int(30)) * 86_400_000);
      const decided = state !== 'submitted' && state !== 'withdrawn';
      speaking.push({
        id: r.uuid(),
        eventId: hlt.id,
        entityId: d.entity.id,
        kind,
        state,
        speakerPersonId: m?.id ?? null,
        honorific: 'H.E.',
        givenName: given,
        familyName: family,
        givenNameLatin: givenLatin,
        familyNameLatin: familyLatin,
        title:
          rank === 'ambassador'
            ? 'Ambassador, Permanent Representative'
            : 'Minister of Communications and Digital Economy',
        rank,
        speakerLocale: pool.locale,
        language: pool.locale,
        abstract: '',
        sessionId:
          state === 'accepted' && kind === 'policy_statement' && hltSessions.length
            ? hltSessions[slot++ % hltSessions.length]
            : null,
        submittedBy: d.id!,
        submittedAt: at,
        decidedBy: decided ? staffId : null,
        decidedAt: decided ? at : null,
        updatedAt: at,
      });
    }
  }
  if (speaking.length) await insertMany(db, speakingRequests, speaking);
  lap(`speaking requests inserted (${speaking.length})`);

  // Badges for approved in-person registrations (signed tokens under the database's key), and door scans for 40 %.
  const key = await signingKey(db);
  const speakers = new Set(
    speaking.filter((s) => s.state === 'accepted' && s.speakerPersonId).map((s) => s.speakerPersonId!),
  );
  const regsOf = new Map<string, (typeof regs)[number][]>();
  for (const g of regs)
    if (g.state === 'approved' && g.mode === 'in_person')
      (regsOf.get(g.personId) ?? regsOf.set(g.personId, []).get(g.personId)!).push(g);
  const byId = new Map(participants.map((p) => [p.id!, p]));
  const badgeRows: (typeof badges.$inferInsert)[] = [];
  const atWsis: number[] = [];
  for (const [personId, rs] of regsOf) {
    const p = byId.get(personId)!;
    const nonce = Buffer.from(Array.from({ length: 12 }, () => r.int(256))).toString('base64url');
    badgeRows.push({
      personId,
      token: sign(key, BADGE_PREFIX, nonce),
      category: categoryFor(
        'participant',
        rs.map((g) => ({
          vipCategory: g.vipCategory ?? null,
          function: g.function ?? '',
          stakeholderType: g.stakeholderType ?? '',
        })),
        speakers.has(personId),
      ),
      searchKey: fold(
        [
          p.givenName,
          p.familyName,
          p.givenNameLatin,
          p.familyNameLatin,
          p.email ?? '',
          ...rs.map((g) => registrationReference(g.id!)),
        ].join(' '),
      ),
      issuedAt: now,
    });
    if (rs.some((g) => g.eventId === wsis.id)) atWsis.push(badgeRows.length - 1);
  }
  let scanCount = 0;
  await db.transaction(async (tx) => {
    await insertMany(tx, badges, badgeRows);
    const idOf = new Map(
      (await tx.select({ id: badges.id, personId: badges.personId }).from(badges)).map((b) => [b.personId, b.id]),
    );
    const ids = badgeRows.map((b) => idOf.get(b.personId)!);
    const scanRows = atWsis
      .filter(() => r.chance(0.4))
      .map((i) => {
        const at = new Date(`${wsis.startDate}T08:00:00+02:00`).getTime() + r.int(3 * 3_600_000);
        return {
          id: r.uuid(),
          badgeId: ids[i],
          checkpoint: DEMO_CHECKPOINT,
          deviceId: `door-${1 + r.int(12)}`,
          result: 'admitted' as const,
          scannedAt: new Date(at),
          receivedAt: new Date(at + 300),
          scannedBy: staffId,
        };
      });
    scanCount = scanRows.length;
    await insertMany(tx, scans, scanRows);
  });
  lap(`badges (${badgeRows.length}) and check-ins (${scanCount}) inserted`);

  // Written with bulk inserts, around the services: the dashboard's and the doors' counters are made from the rows.
  await db.transaction(async (tx) => {
    await rebuildTallies(tx);
    await rebuildCheckpointTallies(tx);
  });
  lap('counters');

  await db.execute(sql`analyze`);
  lap('analyze');

  return {
    seed,
    participants: n,
    countries: new Set(participants.map((p) => p.country.code)).size,
    people: participants.length + dfps.length + 2 + applicants.length,
    registrations: counts,
    focalPoints: dfps.length,
    sessions: sessionCount,
    speakingRequests: speaking.length,
    badges: badgeRows.length,
    scans: scanCount,
    tokens: 2 + dfps.length + applicants.length,
    tokenSecret,
    timings,
  };
}

function hash(seed: number, s: string): number {
  return createHmac('sha256', String(seed)).update(s).digest().readUInt32BE(0);
}

function dayRange(start: string, end: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${start}T12:00:00Z`);
    d <= new Date(`${end}T12:00:00Z`);
    d = new Date(d.getTime() + 86_400_000)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
}

export type { Script };
