/**
 * The form kit, used by every form: a visible label for every control, values kept after a submit, and on a failed
 * submit an error summary at the top (its heading takes focus; each error links to its field), the page title
 * prefixed with the number of errors (see page.tsx), and each field marked `aria-invalid` and described by its
 * message, which sits outside the label. Messages come from the one error map (i18n/validation.ts).
 */

import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { T } from '../i18n/messages.js';

/** Field errors by field name, as parseForm and the form pages pass them (`_`: not about one field). */
export type FieldErrors = Record<string, string>;

/**
 * What the page shell gives the kit while it renders a page body: the translator, and a place where the error summary
 * reports how many errors the page shows (the shell then prefixes the page title with that count).
 */
export type FormScope = { t: T; errorCount: number };
export const FormScopeContext = createContext<FormScope | null>(null);

/** The id of a field's control, and of its message. */
export const fieldId = (name: string) => `f-${name}`;
export const errorId = (name: string) => `${name}-error`;
export const hintId = (name: string) => `${name}-hint`;

function describedBy(...ids: (string | false | undefined)[]) {
  const s = ids.filter(Boolean).join(' ');
  return s || undefined;
}

function ErrorText({ name, error }: { name: string; error?: string }) {
  const scope = useContext(FormScopeContext);
  return error ? (
    <p class="field-error" id={errorId(name)}>
      {scope && <span class="visually-hidden">{scope.t('validation.error_prefix')} </span>}
      {error}
    </p>
  ) : null;
}

/**
 * The error summary: a heading that receives focus when the page loads, the number of answers to correct, and each
 * error as a link to its field. `error` is a message about the whole form (a refused action).
 */
export function ErrorSummary({ errors = {}, error }: { errors?: FieldErrors; error?: string }) {
  const scope = useContext(FormScopeContext);
  const list = Object.entries(errors).filter(([k]) => k !== '_');
  const general = [error, errors._].filter((m): m is string => !!m);
  const count = list.length + general.length;
  if (!count) return null;
  if (scope) scope.errorCount += count;
  const t = scope?.t;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" tabindex={-1} autofocus data-autofocus>
        {t ? t('validation.summary_title') : 'There is a problem'}
      </h2>
      {general.map((m) => (
        <p>{m}</p>
      ))}
      {list.length > 0 && (
        <>
          {t && <p>{t('validation.summary_lead', { count: list.length })}</p>}
          <ul>
            {list.map(([name, message]) => (
              <li>
                <a href={`#${fieldId(name)}`}>{message}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Actions that ask first: each has `confirm.<kind>.title|body|button` in the catalogues. */
export const CONFIRM_KINDS = [
  'withdraw_registration',
  'withdraw_speaking',
  'revoke_token',
  'erase_account',
  'erase_person',
  'delete_webhook',
] as const;
export type ConfirmKind = (typeof CONFIRM_KINDS)[number];

/**
 * A POST form with its CSRF token; with `errors` or `error`, the error summary above it. With `confirm`, the button
 * first opens a confirmation page (`/{lc}/confirm`, no script) that says what will happen and posts the form.
 */
export function PostForm(props: {
  /** The action asks first (withdraw, revoke, erase). */
  confirm?: ConfirmKind;
  action: string;
  csrf: string;
  children: ComponentChildren;
  class?: string;
  enctype?: string;
  errors?: FieldErrors;
  error?: string;
  id?: string;
  /** Accessible name of the form, when a page has several. */
  label?: string;
}) {
  if (props.confirm) {
    const lc = props.action.split('/')[1];
    return (
      <form method="get" action={`/${lc}/confirm`} class={props.class ?? 'stack'} id={props.id}>
        <input type="hidden" name="to" value={props.action} />
        <input type="hidden" name="what" value={props.confirm} />
        {props.children}
      </form>
    );
  }
  return (
    <>
      <ErrorSummary errors={props.errors} error={props.error} />
      <form
        method="post"
        action={props.action}
        class={props.class ?? 'stack'}
        enctype={props.enctype}
        id={props.id}
        aria-label={props.label}
        // The server checks and answers with the error summary: one way to hear errors, in the page's language.
        noValidate
      >
        <input type="hidden" name="_csrf" value={props.csrf} />
        {props.children}
      </form>
    </>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  value?: string;
  any?: string;
  options: [string, string][];
  error?: string;
  hint?: string;
  multiple?: boolean;
  values?: readonly string[];
  required?: boolean;
  wide?: boolean;
}) {
  return (
    <div class={props.wide ? 'field field-wide' : 'field'}>
      <label for={fieldId(props.name)}>{props.label}</label>
      {props.hint && (
        <small class="hint" id={hintId(props.name)}>
          {props.hint}
        </small>
      )}
      <ErrorText name={props.name} error={props.error} />
      <select
        id={fieldId(props.name)}
        name={props.name}
        multiple={props.multiple}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.hint && hintId(props.name), props.error && errorId(props.name))}
      >
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.options.map(([val, lab]) => (
          <option value={val} selected={val === props.value || !!props.values?.includes(val)}>
            {lab}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextField(props: {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'search' | 'email' | 'password' | 'date' | 'datetime-local' | 'number' | 'url' | 'time';
  maxLength?: number;
  wide?: boolean;
  error?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  min?: string | number;
  max?: string | number;
  inputMode?: string;
  /** `ltr` for addresses and Latin-letter fields on right-to-left pages. */
  dir?: 'ltr' | 'rtl' | 'auto';
  /** The field a page is for (the door scanner's code): focused when the page opens. */
  autofocus?: boolean;
  /** A class on the control, for a page's script. */
  inputClass?: string;
}) {
  return (
    <div class={props.wide ? 'field field-wide' : 'field'}>
      <label for={fieldId(props.name)}>{props.label}</label>
      {props.hint && (
        <small class="hint" id={hintId(props.name)}>
          {props.hint}
        </small>
      )}
      <ErrorText name={props.name} error={props.error} />
      <input
        id={fieldId(props.name)}
        type={props.type ?? 'text'}
        name={props.name}
        dir={props.dir ?? (props.type === 'email' || props.type === 'password' ? 'ltr' : undefined)}
        value={props.type === 'password' ? undefined : (props.value ?? '')}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        inputMode={props.inputMode}
        required={props.required}
        autocomplete={props.autocomplete}
        autofocus={props.autofocus}
        class={props.inputClass}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.hint && hintId(props.name), props.error && errorId(props.name))}
      />
    </div>
  );
}

export function TextAreaField(props: {
  name: string;
  label: string;
  value?: string;
  rows?: number;
  maxLength?: number;
  error?: string;
  hint?: string;
  required?: boolean;
  dir?: 'ltr' | 'rtl' | 'auto';
  spellcheck?: boolean;
}) {
  return (
    <div class="field field-wide">
      <label for={fieldId(props.name)}>{props.label}</label>
      {props.hint && (
        <small class="hint" id={hintId(props.name)}>
          {props.hint}
        </small>
      )}
      <ErrorText name={props.name} error={props.error} />
      <textarea
        id={fieldId(props.name)}
        name={props.name}
        rows={props.rows ?? 4}
        maxLength={props.maxLength}
        dir={props.dir ?? 'auto'}
        spellcheck={props.spellcheck}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.hint && hintId(props.name), props.error && errorId(props.name))}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

/**
 * A group of checkboxes or radio buttons under one legend; its message is outside the legend and describes the group.
 * The first control carries the field id, so the summary's link lands on it.
 */
export function ChoiceField(props: {
  name: string;
  legend: string;
  type: 'checkbox' | 'radio';
  options: { value: string; label: ComponentChildren; checked?: boolean; disabled?: boolean }[];
  error?: string;
  hint?: string;
}) {
  return (
    <fieldset
      class="field choices"
      aria-describedby={describedBy(props.hint && hintId(props.name), props.error && errorId(props.name))}
    >
      <legend>{props.legend}</legend>
      {props.hint && (
        <small class="hint" id={hintId(props.name)}>
          {props.hint}
        </small>
      )}
      <ErrorText name={props.name} error={props.error} />
      {props.options.map((o, i) => (
        <label class="choice">
          <input
            type={props.type}
            name={props.name}
            value={o.value}
            id={i === 0 ? fieldId(props.name) : undefined}
            checked={o.checked}
            disabled={o.disabled}
            aria-invalid={props.error ? 'true' : undefined}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A notice after an action: a success takes focus when the page loads (and is a status); a failure is an alert. */
export function Notice({ kind, children }: { kind: 'ok' | 'error'; children: ComponentChildren }) {
  return (
    <div
      class={`notice notice-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      tabindex={-1}
      data-autofocus={kind === 'ok' ? true : undefined}
    >
      {children}
    </div>
  );
}
