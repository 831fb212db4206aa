import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/report.ts';
import { createScheduler } from '../../../src/scheduling/scheduler.ts';
import { acknowledge, assign, setDisclosureDate, setStatus } from '../../../src/use-cases/triage-actions.ts';
import { alice, bob, coreDeps, testClock } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { type FaultySlack, startFaultySlack } from './support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from './support/outbox-table.ts';
import { slackDelivery, slackWorker, TRIAGE_CHANNEL } from './support/slack-worker.ts';

const HOUR = 3_600_000;
const rita: Actor = { platform: 'slack', userId: 'URITA', displayName: 'rita' };

const ok = async (result: Promise<{ ok: boolean; error?: { message: string } }>) => {
  const r = await result;
  if (!r.ok) throw new Error(r.error?.message);
};

describe('deadline reminders', () => {
  let pg: TestStore;
  let table: OutboxTable;
  let slack: FaultySlack;

  beforeAll(async () => {
    pg = await postgresTestStore();
    table = outboxTable(pg.url ?? '');
    slack = await startFaultySlack();
  });
  afterAll(async () => {
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  it('each reminder goes once (to the assignee, else the triage channel), however often three schedulers tick', async () => {
    const clock = testClock('2026-11-26T09:00:00Z'); // Thursday; policy time zone UTC
    const core = coreDeps(pg.store, { now: clock.now });
    const schedulers = ['a', 'b', 'c'].map((name) =>
      createScheduler({
        core,
        // A digest time that never comes, so only reminders are queued.
        schedule: { time: '23:59', weekdaysOnly: true },
        claimedBy: name,
        wakeOutbox: () => {},
      }),
    );

    await fileReport(core, { by: rita, key: 'r1' }); // VULN-0001, never assigned
    const assigned = await fileReport(core, { by: rita, key: 'r2' }); // VULN-0002
    await ok(assign(core, alice, assigned.id, bob));
    const acknowledged = await fileReport(core, { by: rita, key: 'r3' }); // VULN-0003
    await ok(acknowledge(core, alice, acknowledged.id));
    const disclosing = await fileReport(core, { by: rita, key: 'r4' }); // VULN-0004
    await ok(acknowledge(core, alice, disclosing.id));
    await ok(setStatus(core, alice, disclosing.id, 'triaged'));
    await ok(setDisclosureDate(core, alice, disclosing.id, '2026-12-20'));
    const closed = await fileReport(core, { by: rita, key: 'r5' }); // VULN-0005
    await ok(setStatus(core, alice, closed.id, 'spam'));

    // Every 6 hours for a month, each of the three schedulers ticks three times, all at once.
    for (let t = 0; t < 33 * 24; t += 6) {
      if (clock.now().toISOString() === '2026-12-15T03:00:00.000Z') {
        // The date moves: its warnings are announced again for the new date.
        await ok(setDisclosureDate(core, alice, disclosing.id, '2026-12-27'));
      }
      for (let round = 0; round < 3; round += 1) await Promise.all(schedulers.map((s) => s.tick()));
      clock.set(new Date(clock.now().getTime() + 6 * HOUR).toISOString());
    }

    const reminders = (await table.all()).flatMap((r) =>
      r.payload.type === 'channel_text'
        ? [`${r.destination} ${r.payload.title}: ${r.payload.lines.join(' ')}`]
        : [],
    );
    expect(reminders).toEqual([
      'triage Reminder: VULN-0001: VULN-0001 has not been acknowledged and its acknowledgement is overdue.',
      'user:UBOB Reminder: VULN-0002: VULN-0002 has not been acknowledged and its acknowledgement is overdue.',
      'triage Reminder: VULN-0001: VULN-0001 has not been triaged and its triage deadline has passed.',
      'user:UBOB Reminder: VULN-0002: VULN-0002 has not been triaged and its triage deadline has passed.',
      'triage Reminder: VULN-0003: VULN-0003 has not been triaged and its triage deadline has passed.',
      'triage Reminder: VULN-0004: VULN-0004 is due for public disclosure on 2026-12-20 (in 14 days).',
      'triage Reminder: VULN-0004: VULN-0004 is due for public disclosure on 2026-12-20 (in 7 days).',
      'triage Reminder: VULN-0004: VULN-0004 is due for public disclosure on 2026-12-27 (in 12 days).',
      'triage Reminder: VULN-0004: VULN-0004 is due for public disclosure on 2026-12-27 (in 7 days).',
      'triage Reminder: VULN-0004: VULN-0004 is due for public disclosure on 2026-12-27 (in 1 day).',
    ]);
    const claimed =
      await table.sql`select report_id, kind, sent_at from reminders order by sent_at, report_id`;
    expect(claimed.map((r) => `${r.report_id} ${r.kind} ${new Date(r.sent_at).toISOString()}`)).toEqual([
      // Acknowledgement due Monday 09:00 (two business days), reminded at the first tick after it.
      'VULN-0001 ack_overdue 2026-11-30T15:00:00.000Z',
      'VULN-0002 ack_overdue 2026-11-30T15:00:00.000Z',
      'VULN-0001 triage_overdue 2026-12-03T15:00:00.000Z',
      'VULN-0002 triage_overdue 2026-12-03T15:00:00.000Z',
      'VULN-0003 triage_overdue 2026-12-03T15:00:00.000Z',
      'VULN-0004 disclosure_14d:2026-12-20 2026-12-06T03:00:00.000Z',
      'VULN-0004 disclosure_7d:2026-12-20 2026-12-13T03:00:00.000Z',
      'VULN-0004 disclosure_14d:2026-12-27 2026-12-15T03:00:00.000Z',
      'VULN-0004 disclosure_7d:2026-12-27 2026-12-20T03:00:00.000Z',
      'VULN-0004 disclosure_1d:2026-12-27 2026-12-26T03:00:00.000Z',
    ]);

    // Delivered through Slack: the assignee's by DM, the others in the triage channel, each once.
    const worker = slackWorker(pg.store, slackDelivery(slack.api.url, { pacing: null }), {
      workerId: 'reminders',
      now: clock.now,
    });
    await worker.drain();
    expect(await table.undelivered()).toBe(0);
    const posted = slack
      .accepted('chat.postMessage')
      .filter((a) => String(a.call.args.text).startsWith('Reminder'))
      .map((a) => `${a.call.args.channel} ${a.call.args.text}`);
    const channel = (id: string, n: number) => Array<string>(n).fill(`${TRIAGE_CHANNEL} Reminder: ${id}`);
    expect(posted.sort()).toEqual(
      [
        ...channel('VULN-0001', 2),
        ...channel('VULN-0003', 1),
        ...channel('VULN-0004', 5),
        'DUBOB Reminder: VULN-0002',
        'DUBOB Reminder: VULN-0002',
      ].sort(),
    );
  }, 60_000);
});
