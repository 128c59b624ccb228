export * from './letters.schema.js';
export { seedLetters } from './letters.seed.js';
export { getCurrentLetter, type Letter } from './letters.service.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { seedLetters } from './letters.seed.js';

export const lettersModule: ModuleDescriptor = {
  name: 'letters',
  seed: (tx, run) => seedLetters(tx, run.seed),
};
