/**
 * Every error of every form, in every language, written for people: each form's schema is fed values that break each
 * of its rules, and each message that comes out of the one error map must be a sentence without validator jargon,
 * translated (not the English text), and naming no internal key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import * as accounts from '../src/modules/accounts/accounts.input.js';
import * as entities from '../src/modules/entities/entities.input.js';
import * as registration from '../src/modules/registration/registration.input.js';
import * as speaking from '../src/modules/speaking/speaking.input.js';
import { LOCALES, type Locale } from '../src/platform/i18n/locales.js';
import { humanIssues } from '../src/platform/i18n/validation.js';

const FORMS: Record<string, z.ZodType> = {
  'sign-up': accounts.SignUpInput,
  'sign-in': accounts.SignInInput,
  'e-mail link / forgotten password': accounts.EmailOnly,
  'password reset': accounts.ResetInput,
  profile: accounts.ProfileInput,
  'API token': accounts.TokenCreateInput,
  role: accounts.RoleInput,
  registration: registration.SubmitInput,
  'registration edit': registration.EditInput,
  'VIP registration': registration.VipInput,
  'visa letter': registration.VisaInput,
  'bulk decision': registration.BulkDecisionInput,
  decision: registration.DecisionInput,
  'registration settings': registration.SettingsInput,
  'speaking request': speaking.SubmitInput,
  'speaking edit': speaking.EditInput,
  'speaking decision': speaking.DecisionInput,
  'speaking order': speaking.MoveInput,
  'speaking time': speaking.TimeLimitInput,
  'speaking deadline': speaking.DeadlineInput,
  'late permit': speaking.LatePermitInput,
  'session assignment': speaking.AssignInput,
  entity: entities.EntityFlat,
  'entity merge': entities.MergeInput,
  'focal point': entities.FocalPointInput,
  'entity import': entities.ImportInput,
};

/** Values that break one rule or another: missing, blank, short, long, control characters, wrong kinds, bad dates. */
const BAD: unknown[] = [
  undefined,
  '',
  '   ',
  'x',
  'x'.repeat(3000),
  'bad\u0007value',
  'not a date',
  '-5',
  '0',
  '99999999',
  'Иван',
  '2026-02-30',
  [],
  ['nope'],
  Array.from({ length: 600 }, () => 'x'),
  true,
  12,
];

function shapeOf(schema: z.ZodType): Record<string, unknown> {
  let s = schema as unknown as { _zod: { def: Record<string, unknown> }; shape?: Record<string, unknown> };
  for (let i = 0; i < 5 && !s.shape; i++) {
    const def = s._zod.def;
    s = (def.in ?? def.innerType ?? def.schema) as typeof s;
    if (!s) break;
  }
  return s?.shape ?? {};
}

/** A field that takes several values (checkboxes): only those are sent lists, as a browser would. */
function isArrayField(field: unknown): boolean {
  let s = field as { _zod: { def: Record<string, unknown> } } | undefined;
  for (let i = 0; i < 6 && s; i++) {
    if (s._zod.def.type === 'array') return true;
    s = (s._zod.def.innerType ?? s._zod.def.out ?? s._zod.def.in) as typeof s;
  }
  return false;
}

/** Every (field, message) the schema can produce, per locale. */
function messages(schema: z.ZodType, locale: Locale): Map<string, string> {
  const out = new Map<string, string>();
  const fields = Object.keys(shapeOf(schema));
  assert.ok(fields.length > 0, 'the form has fields');
  const bodies: Record<string, unknown>[] = [{}];
  const shape = shapeOf(schema);
  for (const f of fields) for (const v of BAD) if (Array.isArray(v) === isArrayField(shape[f])) bodies.push({ [f]: v });
  // A body where every field is wrong at once (cross-field rules see everything).
  bodies.push(Object.fromEntries(fields.map((f) => [f, 'x'])));
  for (const body of bodies) {
    for (const e of humanIssues(schema, body, locale)) out.set(`${e.field}|${e.message}`, e.message);
  }
  return out;
}

/** Words of validators, in English and in Zod's own translations; catalogue keys; comparison signs. */
const JARGON = [
  /\b(string|boolean|bigint|undefined|null|NaN|expected|received|regex|pattern|enum|uuid|guid|iso|datetime|nonempty|object|array|int)\b/i,
  /too (small|big)|invalid (input|option|string|date|type|format)/i,
  /[<>]=?\s*\d|≥|≤/,
  /attendu|entrée invalide|esperado|entrada inválida|ожидал|неверный ввод|неправильн|مدخلات غير|مدخل غير|无效输入|期望/i,
  /\b[a-z_]+\.[a-z_]+\.[a-z_]+\b/,
  /\{[a-z]+\}/,
];

describe('form error messages', () => {
  const english = new Map<string, Map<string, string>>();
  for (const [name, schema] of Object.entries(FORMS)) english.set(name, messages(schema, 'en'));
  const englishText = new Set([...english.values()].flatMap((m) => [...m.values()]));

  for (const locale of LOCALES) {
    it(`every error of every form reads as a sentence for people (${locale})`, () => {
      let total = 0;
      const bad: string[] = [];
      for (const [name, schema] of Object.entries(FORMS)) {
        const msgs = messages(schema, locale);
        for (const [key, m] of msgs) {
          total++;
          const field = key.split('|')[0];
          for (const re of JARGON) if (re.test(m)) bad.push(`${name} · ${field}: “${m}” (${re})`);
          if (m.length < (locale === 'zh' ? 4 : 8)) bad.push(`${name} · ${field}: “${m}” is not a sentence`);
          if (locale !== 'en' && englishText.has(m)) bad.push(`${name} · ${field}: “${m}” is the English text`);
        }
      }
      assert.ok(total > 200, `many messages were produced (${total})`);
      assert.deepEqual(bad, []);
    });
  }

  it('says what the rule is, per field, in the words of the issue on names and protocol', () => {
    const issues = humanIssues(accounts.SignUpInput, { password: 'short' }, 'en');
    const password = issues.find((i) => i.field === 'password');
    assert.equal(password?.message, 'The password needs at least 10 characters.');
    const fr = humanIssues(accounts.SignUpInput, { password: 'short' }, 'fr').find((i) => i.field === 'password');
    assert.equal(fr?.message, 'Le mot de passe doit comporter au moins 10 caractères.');
    const events = humanIssues(registration.SubmitInput, { events: [], mode: 'remote' }, 'ar');
    assert.equal(events.find((i) => i.field === 'events')?.message, 'يُرجى اختيار فعالية واحدة على الأقل.');
  });
});
