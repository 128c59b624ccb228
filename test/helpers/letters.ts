/** A letter draft for tests: English original, an Arabic version, a heading and a list. */
import type { LetterInput } from '../../src/modules/letters/letters.input.js';

export const draft = (over: Partial<LetterInput> = {}): LetterInput => ({
  date: '2026-04-20',
  sender: { en: 'ITU General Secretariat', ar: 'الأمانة العامة' },
  addressees: { en: 'ITU Member States' },
  audiences: ['member_states'],
  subject: { en: 'Practical information', ar: 'معلومات عملية' },
  body: {
    en: 'Dear Sir/Madam,\n\n## Visas\n\n- Apply early\n- Bring your passport',
    ar: 'حضرات السادة،\n\nنص الرسالة.',
  },
  originalLanguage: 'en',
  signatoryName: 'Doreen Bogdan-Martin',
  signatoryTitle: { en: 'Secretary-General', ar: 'الأمينة العامة' },
  contactName: 'Ms Gitanjali Sah',
  contactEmail: 'wsis-info@itu.int',
  ...over,
});
