/** Pure rules of circular letters: references, states, the body's light markup, annex checks. */
import { DomainError } from '../../platform/errors.js';
import type { LetterState } from './letters.schema.js';

/** `CL-26/17` (also accepted in a URL as `CL-26-17`). Returns year and number, or throws `letter_reference_invalid`. */
export function parseReference(ref: string): { year: number; number: number; reference: string } {
  const m = /^CL-(\d{2})[/-](\d{1,3})$/.exec(ref.trim());
  if (!m || Number(m[2]) < 1) throw new DomainError('letter_reference_invalid', 400, { reference: ref });
  const year = Number(m[1]);
  const number = Number(m[2]);
  return { year, number, reference: formatReference(year, number) };
}

export const formatReference = (year: number, number: number) =>
  `CL-${String(year).padStart(2, '0')}/${String(number).padStart(2, '0')}`;

/** The reference as a path segment: `CL-26-17`. */
export const referenceSlug = (reference: string) => reference.replace('/', '-');

export type LetterAction = 'edit' | 'approve' | 'send' | 'annex';

/** Which actions a state allows: a draft is edited and approved; an approved letter is sent (or edited, back to draft); a sent letter is never edited. */
export function checkAction(state: LetterState, action: LetterAction): void {
  if (state === 'sent') throw new DomainError('letter_already_sent', 409);
  if (action === 'approve' && state !== 'draft') throw new DomainError('letter_not_draft', 409);
  if (action === 'send' && state !== 'approved') throw new DomainError('letter_not_approved', 409);
}

/** The state after an edit: approving again is needed once an approved letter changes. */
export const stateAfterEdit = (_state: LetterState): LetterState => 'draft';

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] };

/** The body's light markup: blocks separated by blank lines; `## ` starts a heading; lines starting `- ` are list items. */
export function parseBody(body: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of body.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (!lines.length) continue;
    if (lines.every((l) => /^[-•*] /.test(l))) {
      blocks.push({ kind: 'list', items: lines.map((l) => l.slice(2).trim()) });
    } else if (lines.length === 1 && lines[0].startsWith('## ')) {
      blocks.push({ kind: 'heading', text: lines[0].slice(3).trim() });
    } else {
      blocks.push({ kind: 'paragraph', text: lines.join(' ') });
    }
  }
  return blocks;
}

export const ANNEX_MAX_BYTES = 10 * 1024 * 1024;

/** An annex must be a PDF (its first bytes `%PDF-`) of at most 10 MB. Throws `annex_not_pdf`, `annex_too_large`. */
export function checkAnnex(bytes: Buffer): void {
  if (bytes.length > ANNEX_MAX_BYTES) throw new DomainError('annex_too_large', 413, { max: '10 MB' });
  if (bytes.length < 8 || bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new DomainError('annex_not_pdf', 400);
}
