import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardBlocks } from '../../../adapters/slack/render/card-blocks.ts';
import type { OutboxWorker } from '../../../src/delivery/outbox-worker.ts';
import type { Actor } from '../../../src/domain/report.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { setDisclosureDate } from '../../../src/use-cases/triage-actions.ts';
import { triageCardView } from '../../../src/views/triage-card.ts';
import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';
import { alice, coreDeps, TEST_POLICY } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { type FaultySlack, startFaultySlack } from './support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from './support/outbox-table.ts';
import { eventually, slackDelivery, slackWorker, sleep } from './support/slack-worker.ts';

const rita: Actor = { platform: 'slack', userId: 'URITA', displayName: 'rita' };
const CHANGES = 12;
// Far past today's receipt date and its 90-day default: a disclosure date before receipt is refused.
const dateOf = (n: number) => `2099-06-${String(n).padStart(2, '0')}`;

/** The disclosure date a rendered card shows: each change in this test moves it one day later. */
const shownDisclosure = (call: RecordedCall): string => {
  const text = JSON.stringify(call.args.blocks);
  return /\*Disclosure\*\\n(\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? 'none';
};

describe('card updates while the platform is slow', () => {
  let pg: TestStore;
  let slack: FaultySlack;
  let table: OutboxTable;
  let core: CoreDeps;
  const workers: OutboxWorker[] = [];

  beforeAll(async () => {
    pg = await postgresTestStore();
    slack = await startFaultySlack();
    table = outboxTable(pg.url ?? '');
    core = coreDeps(pg.store, { now: () => new Date() });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  it('are coalesced: the last state wins and an older state never follows a newer one', async () => {
    // Every edit takes 250 ms; one in four fails first with a 500, so retries interleave with new changes.
    let edits = 0;
    slack.setPlan((call) => {
      if (call.method !== 'chat.update') return null;
      edits += 1;
      return edits % 4 === 2 ? { kind: 'error500' } : { kind: 'slow', ms: 250 };
    });
    for (const id of ['w1', 'w2', 'w3']) {
      const worker = slackWorker(pg.store, slackDelivery(slack.api.url, { pacing: null }), { workerId: id });
      workers.push(worker);
      worker.start();
    }
    const report = await fileReport(core, { by: rita });
    await slack.api.waitFor('chat.postMessage', (c) => c.args.thread_ts === undefined);

    let latest = report;
    for (let n = 1; n <= CHANGES; n += 1) {
      const changed = await setDisclosureDate(core, alice, report.id, dateOf(n));
      if (!changed.ok) throw new Error(changed.error.message);
      latest = { ...changed.value.report, submissionKey: null };
      for (const worker of workers) worker.wake();
      await sleep(70);
    }
    await eventually(async () => (await table.undelivered()) === 0, 20_000);

    const updates = slack.accepted('chat.update').map((a) => a.call);
    const shown = updates.map(shownDisclosure);
    expect(shown.length).toBeGreaterThan(0);
    // Coalesced: fewer edits than changes, because a queued render of an older version is skipped.
    expect(shown.length).toBeLessThan(CHANGES);
    expect([...shown].sort()).toEqual(shown);
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown.at(-1)).toBe(dateOf(CHANGES));
    // The final edit is exactly the card of the final state.
    const final = await pg.store.reports.findById(report.id);
    expect(final?.disclosureOn).toBe(latest.disclosureOn);
    expect(updates.at(-1)?.args.blocks).toEqual(
      JSON.parse(JSON.stringify(cardBlocks(triageCardView(final ?? latest, TEST_POLICY, new Date())))),
    );
    // Every card row is settled, and each thread note went out once.
    const rows = await table.all();
    expect(rows.filter((r) => r.payload.type === 'triage_card')).toHaveLength(CHANGES + 1);
    const notes = slack.accepted('chat.postMessage').filter((a) => a.call.args.thread_ts !== undefined);
    expect(notes).toHaveLength(CHANGES);
  }, 40_000);
});
