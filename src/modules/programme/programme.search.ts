import type { Localized } from '../../platform/i18n/localized.js';

/** Folds text for search: lower case, accents removed (so "reunion" finds "réunion"). */
export function foldForSearch(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

export function searchTextOf(
  title: Localized,
  description: Localized | undefined,
  speakers: { name: string; nameLatin?: string | null; organization?: string }[],
): string {
  const parts = [
    ...Object.values(title),
    ...Object.values(description ?? {}),
    ...speakers.flatMap((p) => [p.name, p.nameLatin ?? '', p.organization ?? '']),
  ];
  return foldForSearch(parts.filter(Boolean).join(' \u2022 '));
}
