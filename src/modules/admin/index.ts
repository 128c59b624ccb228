export { adminPages, adminApi } from './admin.pages.js';
