import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { contentOf, isDirectMessage, slackDriver } from '../e2e/slack/slack-driver.ts';
import {
  REPORTER,
  type SlackHarness,
  startSlackHarness,
  TRIAGE_CHANNEL,
  TRIAGER,
} from '../e2e/slack/slack-harness.ts';
import type { RecordedCall } from '../fakes/slack/fake-slack-api.ts';
import { SECRET_REPORT, secretIntake, wireAlerts } from './support/slack.ts';
import { pgliteSqlStore, type SqlTestStore } from './support/stores.ts';

let db: SqlTestStore;

beforeAll(async () => {
  db = await pgliteSqlStore();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.reset();
});

/**
 * The triage channel guard re-checks the channel at most once a minute (by `Date.now`), and held messages
 * are retried a minute later: this clock lets a test move both past that minute without waiting.
 */
const skewableClock = () => {
  let offsetMs = 0;
  const realNow = Date.now.bind(Date);
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
  return {
    advance: (ms: number) => {
      offsetMs += ms;
    },
    restore: () => spy.mockRestore(),
  };
};

const postsToChannel = (slack: SlackHarness) =>
  slack.api
    .callsOf('chat.postMessage')
    .filter((c) => c.args.channel === TRIAGE_CHANNEL)
    .concat(slack.api.callsOf('chat.update'));

const heldRows = () =>
  db.query<{ state: string; last_error: string | null; type: string }>(
    `select state, last_error, payload->>'type' as type from outbox where destination = 'triage' order by id`,
  );

describe.each([
  ['public', { is_private: false }, 'the triage channel is not private'],
  [
    'shared with another organisation',
    { is_private: true, is_ext_shared: true },
    'shared with another organisation',
  ],
])('a triage channel that is %s', (_, channel, problem) => {
  it('gets no report content: messages are held in the outbox, an error is logged, /vuln health alerts', async () => {
    const slack = await startSlackHarness(db, {
      pacing: false,
      apiOptions: { channels: { [TRIAGE_CHANNEL]: channel } },
    });
    wireAlerts(slack);
    const drive = slackDriver(slack);
    try {
      const filed = await drive.submitIntake('V-CHAN-1', secretIntake());
      const id = /VULN-\d{4}/.exec(JSON.stringify(filed.json))?.[0] ?? '';
      expect(id).toBe('VULN-0001');
      await drive.command(TRIAGER, '/vuln', `note ${id} looked at it`);
      // The reporter's own confirmation is not triage content: it still goes out.
      await slack.api.waitFor('chat.postMessage', (c) => isDirectMessage(c, REPORTER));
      await drive.settle();

      expect(postsToChannel(slack)).toEqual([]);
      expect(slack.api.calls.filter((c) => JSON.stringify(c.args).includes('impact-phrase-7c1e'))).toEqual(
        [],
      );
      const rows = await heldRows();
      expect([...new Set(rows.map((r) => r.type))].sort()).toEqual(['thread_note', 'triage_card']);
      // Nothing was sent; the only rows settled are card edits queued before the card existed, which
      // have nothing to edit (the held message that posts the card will show the latest state).
      expect(rows.filter((r) => r.state !== 'pending').map((r) => `${r.type} ${r.state}`)).toEqual(
        rows.filter((r) => r.state !== 'pending').map(() => 'triage_card delivered'),
      );
      expect(rows.filter((r) => r.state === 'pending').map((r) => r.type)).toEqual(
        expect.arrayContaining(['triage_card', 'thread_note']),
      );
      // The card was tried and held; its thread note waits in line behind it, untried.
      expect(rows[0]?.last_error).toBe('triage_channel_not_private');
      expect(rows.find((r) => r.type === 'thread_note')?.last_error).toBeNull();
      expect(new Set(rows.map((r) => r.last_error ?? 'not tried yet'))).toEqual(
        new Set(['triage_channel_not_private', ...(rows.length > 2 ? ['not tried yet'] : [])]),
      );

      const logged = slack.logger.lines.filter(
        (l) => l.level === 'error' && String(l.fields.problem).includes(problem),
      );
      expect(logged.length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(logged)).not.toContain(SECRET_REPORT.impact);

      const health = await drive.command(TRIAGER, '/vuln', 'health');
      expect(contentOf(health.reply)).toContain(problem);
      expect(contentOf(health.reply)).toContain('report messages are held');
    } finally {
      await slack.close();
    }
  });
});

describe('a triage channel that becomes private', () => {
  it('receives the held messages once the check passes again', async () => {
    const clock = skewableClock();
    let isPrivate = false;
    const slack = await startSlackHarness(db, { pacing: false });
    try {
      slack.api.respondWith('conversations.info', (args) => ({
        ok: true,
        channel: { id: args.channel, is_private: isPrivate, is_ext_shared: false },
      }));
      // A fresh look at the channel (the harness checked it once at start, when it was private).
      clock.advance(61_000);
      wireAlerts(slack);
      const drive = slackDriver(slack);
      const filed = await drive.submitIntake('V-CHAN-2', secretIntake());
      expect(filed.status).toBe(200);
      await drive.settle();
      expect(postsToChannel(slack)).toEqual([]);
      expect((await heldRows()).map((r) => r.last_error)).toEqual(['triage_channel_not_private']);
      expect(contentOf((await drive.command(TRIAGER, '/vuln', 'health')).reply)).toContain('not private');

      // The channel is made private; a minute later the guard looks again and the held card goes out.
      isPrivate = true;
      clock.advance(61_000);
      await db.exec(`update outbox set next_attempt_at = '2000-01-01T00:00:00Z' where state = 'pending'`);
      slack.worker.wake();
      const card = await slack.api.waitFor(
        'chat.postMessage',
        (c: RecordedCall) => c.args.channel === TRIAGE_CHANNEL && contentOf(c).includes('VULN-0001:'),
        5000,
      );
      expect(contentOf(card)).toContain('[redacted: Slack token]');
      await drive.settle();
      expect((await heldRows()).map((r) => r.state)).toEqual(['delivered']);
      expect(contentOf((await drive.command(TRIAGER, '/vuln', 'health')).reply)).not.toContain('not private');
    } finally {
      await slack.close();
      clock.restore();
    }
  });
});
