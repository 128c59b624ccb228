/**
 * Columns other modules add to the delegation view (`contributes.delegationColumns`): the badges module's badge
 * state, the check-in module's arrival. Registration cannot import them (they depend on it); it reads them here.
 */
import type { DbOrTx } from '../../db/client.js';
import type { Locale } from '../../platform/i18n/locales.js';

/** One cell: the words shown in the reader's language, and the value written to the CSV/XLSX export. */
export type DelegationCell = { label: string; value: string };

export type DelegationColumn = {
  /** The export's column name (snake_case). */
  key: string;
  /** The header in the reader's language. */
  header: (locale: Locale) => string;
  /** The cell of each person of the delegation to one event (a person absent from the map shows "—"). */
  load: (
    db: DbOrTx,
    scope: { eventId: number; eventSlug: string; personIds: string[]; locale: Locale },
  ) => Promise<Map<string, DelegationCell>>;
};

declare module '../../platform/module.js' {
  interface ContributionSlots {
    /** A column of the focal point's delegation view (and its export). */
    delegationColumns: DelegationColumn;
  }
}

/** Every contributed column's cells for the delegation, in the list's order. */
export async function loadDelegationColumns(
  columns: readonly DelegationColumn[],
  db: DbOrTx,
  scope: { eventId: number; eventSlug: string; personIds: string[]; locale: Locale },
): Promise<{ column: DelegationColumn; cells: Map<string, DelegationCell> }[]> {
  const out = [];
  for (const column of columns)
    out.push({ column, cells: scope.personIds.length ? await column.load(db, scope) : new Map() });
  return out;
}
