import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // The tables of the platform and of every module (src/modules/<name>/<name>.schema.ts, listed in src/modules/index.ts).
  schema: ['./src/platform/platform.schema.ts', './src/modules/*/*.schema.ts'],
  out: './src/db/migrations',
});
