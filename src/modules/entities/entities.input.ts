/**
 * What people send about entities: the JSON API's nested shape, the flat shape shared by the HTML forms and the CSV
 * columns, and the rules both obey. Messages of our own rules come from the `entities.validation.*` catalogue.
 */
import { z } from 'zod';
import type { FieldError } from '../../platform/http/errors.js';
import { humanErrorMap } from '../../platform/i18n/validation.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { ENTITY_KINDS, ITU_REGIONS, ITUD_REGIONS, UN_GROUPS, type EntityKind } from './entities.schema.js';
import { isRegionCode } from './entities.names.js';

export const NAME_MAX = 200;
export const CODE_MAX = 40;

/** C0 and C1 controls, and the line/paragraph separators: never part of a name or a code. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

/** A custom issue whose message is `entities.validation.<key>` in the reader's language (see entityIssues). */
const rule = (key: string) => ({ params: { key } });

/** Trimmed single-line text. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL.test(s), rule('control_chars'));
/** "" (or blanks) and null mean "not given". */
const absentIfEmpty = (v: unknown) =>
  v === null ? undefined : typeof v === 'string' && v.trim() === '' ? undefined : v;
const opt = <T extends z.ZodType>(s: T) => z.preprocess(absentIfEmpty, s.optional());
const upper = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : v);

export const EntityKindSchema = z.enum(ENTITY_KINDS);
export const ItuRegionSchema = z.enum(ITU_REGIONS);
export const ItudRegionSchema = z.enum(ITUD_REGIONS);
export const UnGroupSchema = z.enum(UN_GROUPS);

const optText = () => opt(text(NAME_MAX));
export const NameInput = z.strictObject(
  Object.fromEntries(LOCALES.map((l) => [l, optText()])) as Record<Locale, ReturnType<typeof optText>>,
);

/** Normalised entity data, as the service stores it (before the Member State defaults). */
export type EntityData = {
  kind: EntityKind;
  code?: string;
  name: Localized;
  country?: string;
  ituRegion?: (typeof ITU_REGIONS)[number];
  itudRegion?: (typeof ITUD_REGIONS)[number];
  unGroup?: (typeof UN_GROUPS)[number];
};

type Paths = { code: string; country: string; name: string };

/** The rules across fields: a Member State's code is a real ISO 3166 code; others need a name; codes are plain. */
function crossCheck(v: EntityData, ctx: z.RefinementCtx, paths: Paths) {
  if (v.kind === 'member_state') {
    if (!v.code || !/^[A-Z]{2}$/.test(v.code) || !isRegionCode(v.code))
      ctx.addIssue({ code: 'custom', path: [paths.code], params: { key: 'member_state_code' }, input: v.code });
  } else {
    if (v.code !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(v.code))
      ctx.addIssue({ code: 'custom', path: [paths.code], params: { key: 'code_format' }, input: v.code });
    if (!Object.values(v.name).some(Boolean))
      ctx.addIssue({ code: 'custom', path: [paths.name], params: { key: 'name_required' }, input: v.name });
  }
  if (v.country !== undefined && !(/^[A-Z]{2}$/.test(v.country) && isRegionCode(v.country))) {
    ctx.addIssue({ code: 'custom', path: [paths.country], params: { key: 'country_code' }, input: v.country });
  }
}

const msCode = (kind: EntityKind, code: string | undefined) =>
  kind === 'member_state' && code ? code.toUpperCase() : code;

/** The JSON API's body for a new entity. A Member State's missing names are filled from Intl by the service. */
export const EntityInput = z
  .object({
    kind: EntityKindSchema,
    code: opt(text(CODE_MAX)),
    name: NameInput.default({}),
    country: z.preprocess(upper, opt(z.string().max(2))),
    ituRegion: z.preprocess(upper, opt(ItuRegionSchema)),
    itudRegion: opt(ItudRegionSchema),
    unGroup: opt(UnGroupSchema),
  })
  .transform((v): EntityData => ({ ...v, name: v.name as Localized, code: msCode(v.kind, v.code) }))
  .superRefine((v, ctx) => crossCheck(v, ctx, { code: 'code', country: 'country', name: 'name' }));
export type EntityInput = z.input<typeof EntityInput>;

/**
 * A change to an entity (PATCH): an absent field is kept, `null` clears it; `name` changes only the languages given
 * (null or "" removes one). The result obeys the same rules as a new entity.
 */
export const EntityPatch = z.strictObject({
  kind: EntityKindSchema.optional(),
  code: z.string().max(CODE_MAX).nullable().optional(),
  name: z
    .strictObject(
      Object.fromEntries(LOCALES.map((l) => [l, z.string().max(NAME_MAX).nullable().optional()])) as Record<
        Locale,
        z.ZodOptional<z.ZodNullable<z.ZodString>>
      >,
    )
    .optional(),
  country: z.string().max(2).nullable().optional(),
  ituRegion: ItuRegionSchema.nullable().optional(),
  itudRegion: ItudRegionSchema.nullable().optional(),
  unGroup: UnGroupSchema.nullable().optional(),
});
export type EntityPatch = z.infer<typeof EntityPatch>;

/** The CSV columns, which are also the HTML form's field names. */
export const CSV_COLUMNS = [
  'kind',
  'code',
  'name_en',
  'name_fr',
  'name_es',
  'name_ar',
  'name_zh',
  'name_ru',
  'country',
  'itu_region',
  'itud_region',
  'un_group',
] as const;
export type FlatColumn = (typeof CSV_COLUMNS)[number];

/** One CSV row or one posted form: flat fields, "" for "not given". */
export const EntityFlat = z
  .object({
    kind: EntityKindSchema,
    code: opt(text(CODE_MAX)),
    ...(Object.fromEntries(LOCALES.map((l) => [`name_${l}`, optText()])) as Record<
      `name_${Locale}`,
      ReturnType<typeof optText>
    >),
    country: z.preprocess(upper, opt(z.string().max(2))),
    itu_region: z.preprocess(upper, opt(ItuRegionSchema)),
    itud_region: opt(ItudRegionSchema),
    un_group: opt(UnGroupSchema),
  })
  .transform(
    (f): EntityData => ({
      kind: f.kind,
      code: msCode(f.kind, f.code),
      name: Object.fromEntries(LOCALES.flatMap((l) => (f[`name_${l}`] ? [[l, f[`name_${l}`]]] : []))) as Localized,
      country: f.country,
      ituRegion: f.itu_region,
      itudRegion: f.itud_region,
      unGroup: f.un_group,
    }),
  )
  .superRefine((v, ctx) => crossCheck(v, ctx, { code: 'code', country: 'country', name: 'name_en' }));

/** An entity as flat form values (to fill the edit form). */
export function toFlat(e: {
  kind: string;
  code: string | null;
  name: Localized;
  country: string | null;
  ituRegion: string | null;
  itudRegion: string | null;
  unGroup: string | null;
}): Record<string, string> {
  return {
    kind: e.kind,
    code: e.code ?? '',
    ...Object.fromEntries(LOCALES.map((l) => [`name_${l}`, e.name[l] ?? ''])),
    country: e.country ?? '',
    itu_region: e.ituRegion ?? '',
    itud_region: e.itudRegion ?? '',
    un_group: e.unGroup ?? '',
  };
}

export const MergeInput = z.object({ into: z.coerce.number().int().positive() });
export const FocalPointInput = z.object({ email: z.string().trim().toLowerCase().max(254).pipe(z.email()) });
export const ImportInput = z.object({ csv: z.string().max(2_000_000) });

/** An HTML form sends "" for "any": treat it as absent. */
const any = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

export const EntityListQuery = z.object({
  kind: any(EntityKindSchema),
  q: any(z.string().trim().max(100)),
  region: any(z.union([ItuRegionSchema, ItudRegionSchema]).describe('An ITU region (A–E) or an ITU-D region')),
  unGroup: any(UnGroupSchema),
  lang: any(z.enum(LOCALES)),
});
export type EntityListQuery = z.infer<typeof EntityListQuery>;

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/** Parses with `schema`; issues in `locale` from the one error map (our own rules: `entities.validation.<key>`). */
export function check<S extends z.ZodType>(schema: S, data: unknown, locale: Locale): Checked<z.output<S>> {
  const res = schema.safeParse(data, { error: humanErrorMap(locale) });
  if (res.success) return { ok: true, data: res.data };
  return { ok: false, errors: res.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) };
}
