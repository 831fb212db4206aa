import { sql } from 'drizzle-orm';
import type { Repositories, Store } from '../src/ports/store.ts';
import type { Database, DatabaseHandle } from './client.ts';
import { PLAINTEXT_CIPHER, type ReportCipher } from './encryption/report-cipher.ts';
import { createAuditRepository } from './repositories/audit-repository.ts';
import { createCardRepository } from './repositories/card-repository.ts';
import { createIntakeRepository } from './repositories/intake-repository.ts';
import { createOutboxRepository } from './repositories/outbox-repository.ts';
import { createReplayRepository } from './repositories/replay-repository.ts';
import { createReportRepository } from './repositories/report-repository.ts';
import { createScheduleRepository } from './repositories/schedule-repository.ts';

export const createRepositories = (db: Database, cipher: ReportCipher = PLAINTEXT_CIPHER): Repositories => ({
  reports: createReportRepository({ db, cipher }),
  intake: createIntakeRepository({ db, cipher }),
  audit: createAuditRepository({ db }),
  outbox: createOutboxRepository({ db }),
  cards: createCardRepository({ db }),
  schedule: createScheduleRepository({ db }),
  replays: createReplayRepository({ db }),
});

/** The core's storage port on a Drizzle database (PostgreSQL or PGlite). */
export const createStore = (handle: DatabaseHandle, cipher: ReportCipher = PLAINTEXT_CIPHER): Store => ({
  ...createRepositories(handle.db, cipher),
  transaction: (work) => handle.transaction((db) => work(createRepositories(db, cipher))),
  async ping() {
    try {
      await handle.db.execute(sql`select 1`);
      return true;
    } catch {
      return false;
    }
  },
  close: () => handle.close(),
});
