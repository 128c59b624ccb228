export * from './letters.schema.js';
export { seedLetters } from './letters.seed.js';
export {
  getCurrentLetter,
  listPublishedLetters,
  letterText,
  type Letter,
} from './letters.service.js';
export { referenceSlug } from './letters.rules.js';
