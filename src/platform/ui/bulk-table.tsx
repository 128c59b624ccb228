/**
 * The one table with selection and bulk actions, for every desk (focal point, secretariat): a POST form whose rows
 * carry a checkbox each, the actions above the table, "select all on this page" and "clear" as links that work
 * without JavaScript (the page comes back with every box ticked, or none; site.js ticks them in place instead), and
 * on a phone each row stacks as a card labelled by its column headers. `KeysetPager` pages such a table.
 */
import type { ComponentChildren } from 'preact';
import type { T } from '../i18n/messages.js';
import { PostForm } from './forms.js';

export type BulkRow = {
  /** What the checkbox submits (several values may be joined by commas). */
  value: string;
  /** Who or what the row is, for the checkbox's accessible name. */
  label: string;
  cells: ComponentChildren[];
};

/** `url` with `select` set to `all` (every box ticked) or removed. */
export function withSelection(url: string, all: boolean): string {
  const u = new URL(url, 'http://x');
  if (all) u.searchParams.set('select', 'all');
  else u.searchParams.delete('select');
  return `${u.pathname}${u.search}`;
}

export function BulkTable(props: {
  t: T;
  action: string;
  csrf: string;
  /** The checkbox's field name. */
  name?: string;
  /** Says what the actions apply to. */
  legend: string;
  /** The action buttons and their fields (a reason…). */
  actions: ComponentChildren;
  columns: string[];
  rows: BulkRow[];
  /** The page's own URL (to build the select-all and clear links) and whether every box starts ticked. */
  pageUrl: string;
  allSelected?: boolean;
  class?: string;
}) {
  const { t } = props;
  const name = props.name ?? 'ids';
  return (
    <PostForm action={props.action} csrf={props.csrf} class={`bulk ${props.class ?? ''}`.trim()}>
      <fieldset class="field bulk-actions">
        <legend>{props.legend}</legend>
        {props.actions}
      </fieldset>
      <p class="bulk-select">
        <a href={withSelection(props.pageUrl, true)} data-select={name} data-checked="true">
          {t('table.select_all', { count: props.rows.length })}
        </a>{' '}
        ·{' '}
        <a href={withSelection(props.pageUrl, false)} data-select={name} data-checked="false">
          {t('table.select_none')}
        </a>
      </p>
      <table class="data bulk-table stacked">
        <thead>
          <tr>
            <th class="select">
              <span class="visually-hidden">{t('table.select')}</span>
            </th>
            {props.columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <td class="select">
                <input
                  type="checkbox"
                  name={name}
                  value={row.value}
                  checked={!!props.allSelected}
                  aria-label={`${t('table.select')}: ${row.label}`}
                />
              </td>
              {row.cells.map((cell, i) => (
                <td data-label={props.columns[i]}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </PostForm>
  );
}

/** Keyset paging: back to the first page, and on to the next when there is one. */
export function KeysetPager(props: { t: T; first?: string; next?: string | null; size: number }) {
  if (!props.first && !props.next) return null;
  return (
    <nav class="pager" aria-label={props.t('table.pages')}>
      {props.first && <a href={props.first}>{props.t('table.first_page')}</a>}
      {props.next && (
        <a rel="next" href={props.next}>
          {props.t('table.next_page', { count: props.size })}
        </a>
      )}
    </nav>
  );
}
