import { afterAll, beforeAll, describe } from 'vitest';
import { STORE_KINDS } from '../support/databases.ts';
import { withFastReset } from '../support/fast-reset.ts';
import { authorizationSpecs } from './use-cases/authorization.ts';
import { closingActionSpecs } from './use-cases/closing-actions.ts';
import type { OpenedStore } from './use-cases/opened-store.ts';
import { reportingSpecs } from './use-cases/reporting.ts';
import { runVulnCommandSpecs } from './use-cases/run-vuln-command.ts';
import { triageActionSpecs } from './use-cases/triage-actions.ts';

/**
 * The use cases through a real database, with a fixed clock. The suites share one store per
 * database kind, because opening a PGlite costs seconds; every test starts from an empty one.
 */
describe.each(STORE_KINDS)('use cases on %s', (_kind, openStore) => {
  const db = {} as OpenedStore;

  beforeAll(async () => {
    db.testStore = withFastReset(await openStore());
    db.store = db.testStore.store;
  });
  afterAll(async () => {
    await db.testStore?.close();
  });

  reportingSpecs(db);
  triageActionSpecs(db);
  closingActionSpecs(db);
  authorizationSpecs(db);
  runVulnCommandSpecs(db);
});
