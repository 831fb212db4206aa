import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Actor } from '../../../../src/domain/report.ts';
import { type FaultySlack, startFaultySlack } from '../../../integration/delivery/support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from '../../../integration/delivery/support/outbox-table.ts';
import { postgresTestStore, type TestStore } from '../../../support/databases.ts';
import { killAll } from './bot-process.ts';

export interface ResilienceFixture {
  pg: TestStore;
  slack: FaultySlack;
  table: OutboxTable;
}

/**
 * For one test file: a fresh PostgreSQL database, a fault-injecting fake Slack and a view of the
 * outbox table; bot processes started by a test are killed after it.
 */
export const useResilienceFixture = (): ResilienceFixture => {
  const fixture = {} as ResilienceFixture;
  beforeAll(async () => {
    fixture.pg = await postgresTestStore();
    fixture.slack = await startFaultySlack();
    fixture.table = outboxTable(fixture.pg.url ?? '');
  });
  afterEach(killAll);
  afterAll(async () => {
    await fixture.slack?.close();
    await fixture.table?.close();
    await fixture.pg?.close();
  });
  return fixture;
};

export const slackReporter = (i: number): Actor => ({
  platform: 'slack',
  userId: `UREP${i}`,
  displayName: `r${i}`,
});
