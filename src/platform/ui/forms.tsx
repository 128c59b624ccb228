/** Form fields for server-rendered pages: a visible label around every control, values kept after a submit. */

import type { ComponentChildren } from 'preact';

/** Field errors by field name, as the error handler and the form pages pass them. */
export type FieldErrors = Record<string, string>;

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <span class="field-error" id={id}>
      {error}
    </span>
  ) : null;
}

/** A POST form with its CSRF token. */
export function PostForm(props: {
  action: string;
  csrf: string;
  children: ComponentChildren;
  class?: string;
  enctype?: string;
}) {
  return (
    <form method="post" action={props.action} class={props.class ?? 'stack'} enctype={props.enctype}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  value?: string;
  any?: string;
  options: [string, string][];
  error?: string;
  multiple?: boolean;
  values?: readonly string[];
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <ErrorText id={`${props.name}-error`} error={props.error} />
      <select
        name={props.name}
        multiple={props.multiple}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.name}-error` : undefined}
      >
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.options.map(([val, lab]) => (
          <option value={val} selected={val === props.value || !!props.values?.includes(val)}>
            {lab}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TextField(props: {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'search' | 'email' | 'password' | 'date' | 'datetime-local' | 'number';
  maxLength?: number;
  wide?: boolean;
  error?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  /** `ltr` for addresses and Latin-letter fields on right-to-left pages. */
  dir?: 'ltr' | 'rtl' | 'auto';
}) {
  return (
    <label class={props.wide ? 'field field-wide' : 'field'}>
      <span>{props.label}</span>
      {props.hint && <small class="hint">{props.hint}</small>}
      <ErrorText id={`${props.name}-error`} error={props.error} />
      <input
        type={props.type ?? 'text'}
        name={props.name}
        dir={props.dir ?? (props.type === 'email' || props.type === 'password' ? 'ltr' : undefined)}
        value={props.type === 'password' ? undefined : (props.value ?? '')}
        maxLength={props.maxLength}
        required={props.required}
        autocomplete={props.autocomplete}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.name}-error` : undefined}
      />
    </label>
  );
}

export function Notice({ kind, children }: { kind: 'ok' | 'error'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
