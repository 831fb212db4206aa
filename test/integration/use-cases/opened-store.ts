import type { Store } from '../../../src/ports/store.ts';
import type { TestStore } from '../../support/databases.ts';

/** The store a suite runs against: opened once by the test file that runs the suite, reset per test. */
export interface OpenedStore {
  testStore: TestStore;
  store: Store;
}
