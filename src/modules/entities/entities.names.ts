/** Country names in the six languages: the UN's M49 names for Member States, CLDR's for territories. */
import { cldrCountryName, countryNames, REGION_CODES } from '../../platform/i18n/countries.js';

export { countryNames };

/** A known ISO 3166-1 alpha-2 code (one Intl has a name for), not a reserved or private-use one. */
export function isRegionCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/.test(code)) return false;
  return REGION_CODES.includes(code) || cldrCountryName('en', code) !== code;
}
