export { getFigures, type Figures, MINISTERIAL } from './reports.figures.js';

import type { ModuleDescriptor } from '../../platform/module.js';

export const reportsModule: ModuleDescriptor = {
  name: 'reports',
  apiTags: ['reports'],
};
