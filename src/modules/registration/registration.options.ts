/** The choices a registration form offers (stored as these codes, shown translated). */
export const STAKEHOLDER_TYPES = [
  'government',
  'private_sector',
  'civil_society',
  'academia',
  'technical_community',
  'international_organization',
  'media',
  'youth',
] as const;
export const FUNCTIONS = [
  'head_of_state',
  'minister',
  'deputy_minister',
  'head_of_regulator',
  'ambassador',
  'un_official',
  'ceo',
  'civil_society',
  'academia',
  'youth',
  'technical_expert',
  'media',
  'other',
] as const;
