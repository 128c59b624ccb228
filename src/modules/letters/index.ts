export * from './letters.schema.js';
export { seedLetters } from './letters.seed.js';
export { getCurrentLetter, type Letter } from './letters.service.js';
