import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/report.ts';
import { createScheduler } from '../../../src/scheduling/scheduler.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import type { DigestView } from '../../../src/use-cases/digest.ts';
import {
  acknowledge,
  assign,
  setDisclosureDate,
  setSeverity,
  setStatus,
} from '../../../src/use-cases/triage-actions.ts';
import { alice, bob, coreDeps, TEST_POLICY, testClock } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { type FaultySlack, reportIdOf, startFaultySlack } from './support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from './support/outbox-table.ts';
import { slackDelivery, slackWorker, TRIAGE_CHANNEL } from './support/slack-worker.ts';

const HOUR = 3_600_000;
const rita: Actor = { platform: 'slack', userId: 'URITA', displayName: 'rita' };

const ok = async (result: Promise<{ ok: boolean; error?: { message: string } }>) => {
  const r = await result;
  if (!r.ok) throw new Error(r.error?.message);
};

/** Section headings with the report IDs listed under each. */
const outline = (digest: DigestView) =>
  digest.sections.map((s) => [s.heading, s.items.map((i) => i.reportId ?? i.text)] as const);

describe('digest content for a fixed clock across a weekend, in two time zones', () => {
  let pg: TestStore;
  let table: OutboxTable;
  let slack: FaultySlack;

  beforeAll(async () => {
    pg = await postgresTestStore();
    table = outboxTable(pg.url ?? '');
    slack = await startFaultySlack();
  });
  beforeEach(async () => {
    await pg.reset();
    await table.sql`truncate digest_claims, reminders`;
    slack.answered.length = 0;
  });
  afterAll(async () => {
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  /** The same reports, filed at the same instants, whatever the zone. */
  const fileReports = async (core: CoreDeps, clock: ReturnType<typeof testClock>) => {
    clock.set('2026-11-18T15:00:00Z'); // VULN-0001: triaged critical a week and a half ago
    const c = await fileReport(core, { by: rita, key: 'c', submission: { title: 'Critical one' } });
    await ok(acknowledge(core, alice, c.id));
    await ok(setStatus(core, alice, c.id, 'triaged'));
    await ok(setSeverity(core, alice, c.id, 'critical'));
    clock.set('2026-11-26T15:00:00Z'); // Thursday
    const a = await fileReport(core, { by: rita, key: 'a', submission: { title: 'Thursday one' } }); // VULN-0002
    const d = await fileReport(core, { by: rita, key: 'd', submission: { title: 'Disclosing' } }); // VULN-0003
    await ok(acknowledge(core, alice, d.id));
    await ok(assign(core, alice, d.id, bob));
    await ok(setDisclosureDate(core, alice, d.id, '2026-12-03'));
    const spam = await fileReport(core, { by: rita, key: 'e', submission: { title: 'Spam' } }); // VULN-0004
    await ok(setStatus(core, alice, spam.id, 'spam'));
    clock.set('2026-11-27T21:00:00Z'); // Friday evening UTC
    await fileReport(core, { by: rita, key: 'b', submission: { title: 'Friday one' } }); // VULN-0005
    return { a, c, d };
  };

  it.each([
    [
      'America/New_York',
      // Friday 17:00 EST is still Friday: its digest goes; Monday's at 09:00 EST.
      ['2026-11-27', '2026-11-30'],
      [
        // VULN-0002 came in Thursday 10:00 EST: acknowledgement due Monday 10:00, i.e. today.
        ['Acknowledgement due today', ['VULN-0002']],
        ['Remediation target missed', ['VULN-0001']],
        ['Disclosure within 7 days', ['VULN-0003']],
        [
          'Open reports',
          ['By status: New: 2, Acknowledged: 1, Triaged: 1', 'By severity: Critical: 1, Not set: 3'],
        ],
      ],
      // Triaged on 18 November local time: fix by the 25th.
      '2026-11-25',
    ],
    [
      'Asia/Tokyo',
      // Friday 22:00 UTC is already Saturday in Tokyo: no digest until Monday 09:00 JST.
      ['2026-11-30'],
      [
        // VULN-0002 came in Friday 00:00 JST: acknowledgement due Tuesday, not today.
        ['Remediation target missed', ['VULN-0001']],
        ['Disclosure within 7 days', ['VULN-0003']],
        [
          'Open reports',
          ['By status: New: 2, Acknowledged: 1, Triaged: 1', 'By severity: Critical: 1, Not set: 3'],
        ],
      ],
      // Triaged at midnight on 19 November in Tokyo: fix by the 26th.
      '2026-11-26',
    ],
  ] as const)(
    '%s: weekdays only, digests for %j; Monday’s content and card links',
    async (zone, days, monday, fixBy) => {
      const clock = testClock();
      const core = coreDeps(pg.store, { now: clock.now, policy: { ...TEST_POLICY, timeZone: zone } });
      await fileReports(core, clock);
      const worker = slackWorker(pg.store, slackDelivery(slack.api.url, { pacing: null }), {
        workerId: 'digest',
        now: clock.now,
      });
      await worker.drain(); // the cards exist, so the digest can link to them
      const cardTs = new Map(
        slack
          .accepted('chat.postMessage')
          .filter((a) => a.call.args.channel === TRIAGE_CHANNEL && a.call.args.thread_ts === undefined)
          .map((a) => [reportIdOf(a.call), a.ts]),
      );

      const scheduler = createScheduler({
        core,
        schedule: { time: '09:00', weekdaysOnly: true },
        claimedBy: 'one',
        wakeOutbox: () => {},
      });
      clock.set('2026-11-27T22:00:00Z');
      while (clock.now() < new Date('2026-12-01T00:00:00Z')) {
        await scheduler.tick();
        clock.set(new Date(clock.now().getTime() + HOUR).toISOString());
      }
      const digests = (await table.all()).flatMap((r) =>
        r.payload.type === 'digest' ? [r.payload.digest] : [],
      );
      expect(digests.map((d) => d.day)).toEqual(days);
      const last = digests.at(-1) as DigestView;
      expect(last.title).toBe('Security digest for 2026-11-30');
      expect(outline(last)).toEqual(monday);
      const items = last.sections.flatMap((s) => s.items.filter((i) => i.reportId).map((i) => i.text));
      expect(items).toContain('VULN-0003 · Not set · bob · due 2026-12-03 · Disclosing');
      expect(items).toContain(`VULN-0001 · Critical · unassigned · due ${fixBy} · Critical one`);

      // Posted to Slack, every listed report links to its card.
      await worker.drain();
      const posted = slack
        .accepted('chat.postMessage')
        .filter((a) => String(a.call.args.text).startsWith('Security digest'));
      expect(posted.map((a) => a.call.args.text)).toEqual(days.map((d) => `Security digest for ${d}`));
      const blocks = JSON.stringify(posted.at(-1)?.call.args.blocks);
      for (const id of ['VULN-0001', 'VULN-0003']) {
        const ts = String(cardTs.get(id));
        expect(blocks).toContain(`${id} `);
        // The permalink of this report's own card (however the renderer lays the link out).
        expect(blocks).toContain(
          `<https://fake.slack.com/archives/${TRIAGE_CHANNEL}/p${ts.replace('.', '')}|`,
        );
      }
      expect(blocks).not.toContain('VULN-0004'); // closed as spam: not in the digest
    },
  );
});
