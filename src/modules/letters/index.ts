export * from './letters.schema.js';
export { seedLetters } from './letters.seed.js';
export { getCurrentLetter, listPublishedLetters, letterText, type Letter } from './letters.service.js';
export { referenceSlug } from './letters.rules.js';
export { lettersPages, eventLettersBlock } from './letters.pages.js';
export { lettersApi } from './letters.api.js';
export { lettersHandlers } from './letters.sending.js';
export { registerTrackerColumn, getTracker, type TrackerColumn } from './letters.tracker.js';
