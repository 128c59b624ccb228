/**
 * The pledges as a spreadsheet (CSV or XLSX through the shared export writer, src/platform/export): one row per
 * pledge, stable column names, amounts both as exact decimal strings in their currency and as integer minor units,
 * CHF values, flags. The contributor's name in English and in the reader's language.
 */
import type { ExportTable } from '../../platform/export/index.js';
import type { Ctx } from '../../platform/context.js';
import { text } from '../../platform/i18n/localized.js';
import { minorToDecimal } from './funding.money.js';
import { listPledges } from './funding.service.js';

export const PLEDGE_COLUMNS = [
  'reference',
  'entity_code',
  'entity_name_en',
  'entity_name',
  'entity_kind',
  'itu_region',
  'kind',
  'state',
  'purpose',
  'purpose_detail',
  'currency',
  'pledged',
  'received',
  'outstanding',
  'pledged_minor',
  'received_minor',
  'rate_to_chf',
  'pledged_chf',
  'received_chf',
  'outstanding_chf',
  'overpayment',
  'currency_mismatch',
  'commitment_date',
  'commitment_form',
  'commitment_reference',
  'recognition',
  'in_kind_description',
] as const;

export async function pledgesTable(ctx: Ctx): Promise<ExportTable> {
  const rows = await listPledges(ctx);
  const chf = (m: number | null) => (m == null ? '' : minorToDecimal(m, 'CHF'));
  return {
    sheet: 'Pledges',
    columns: PLEDGE_COLUMNS,
    rows: rows.map(({ pledge: p, entity: e, totals: t }) => ({
      reference: p.reference,
      entity_code: e.code,
      entity_name_en: text(e.name, 'en'),
      entity_name: text(e.name, ctx.locale),
      entity_kind: e.kind,
      itu_region: e.ituRegion,
      kind: p.kind,
      state: p.state,
      purpose: p.purpose,
      purpose_detail: p.purposeDetail,
      currency: p.currency,
      pledged: minorToDecimal(t.pledged, p.currency),
      received: minorToDecimal(t.received, p.currency),
      outstanding: minorToDecimal(t.outstanding, p.currency),
      pledged_minor: t.pledged,
      received_minor: t.received,
      rate_to_chf: p.rateToChf,
      pledged_chf: chf(t.pledgedChf),
      received_chf: chf(t.receivedChf),
      outstanding_chf: chf(t.outstandingChf),
      overpayment: t.overpayment,
      currency_mismatch: t.currencyMismatch,
      commitment_date: p.commitmentDate,
      commitment_form: p.commitmentForm,
      commitment_reference: p.commitmentReference,
      recognition: p.recognition,
      in_kind_description: p.inKindDescription,
    })),
  };
}
