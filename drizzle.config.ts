import { defineConfig } from 'drizzle-kit';

// drizzle-kit only diffs the schema into SQL; it never connects, so no credentials here.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});
