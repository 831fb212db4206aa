import { ensurePgliteTemplate } from './pglite-template.ts';

/** Builds the migrated PGlite template once before any test file runs. */
export default async function setup(): Promise<void> {
  await ensurePgliteTemplate();
}
