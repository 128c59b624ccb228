/** Form fields for server-rendered pages: a visible label around every control, values kept after a submit. */

export function SelectField(props: { name: string; label: string; value?: string; any?: string; options: [string, string][] }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select name={props.name}>
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.options.map(([val, lab]) => (
          <option value={val} selected={val === props.value}>
            {lab}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TextField(props: { name: string; label: string; value?: string; type?: 'text' | 'search' | 'email'; maxLength?: number; wide?: boolean }) {
  return (
    <label class={props.wide ? 'field field-wide' : 'field'}>
      <span>{props.label}</span>
      <input type={props.type ?? 'text'} name={props.name} value={props.value ?? ''} maxLength={props.maxLength} />
    </label>
  );
}
