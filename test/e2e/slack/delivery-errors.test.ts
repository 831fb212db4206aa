import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { createStore } from '../../../db/store.ts';
import { type RecordedCall, rateLimited } from '../../fakes/slack/fake-slack-api.ts';
import type { TestStore } from '../../support/databases.ts';
import { isTriageCardPost, type SlackDriver, slackDriver } from './slack-driver.ts';
import { type SlackHarness, startSlackHarness } from './slack-harness.ts';

/** A PGlite store whose outbox rows this file can read directly. */
let pglite: PGlite;
let db: TestStore;
let slack: SlackHarness;
let drive: SlackDriver;

/** Empties every application table, whatever the schema holds today. */
const RESET = `
  set session_replication_role = replica;
  do $$ declare t record; begin
    for t in select tablename from pg_tables where schemaname = 'public' loop
      execute format('truncate %I restart identity cascade', t.tablename);
    end loop;
  end $$;
  alter sequence report_number_seq restart with 1;
  set session_replication_role = origin;`;

beforeAll(async () => {
  pglite = new PGlite();
  const handle = await openDatabase({ pglite });
  db = {
    store: createStore(handle),
    reset: async () => void (await pglite.exec(RESET)),
    close: () => pglite.close(),
  };
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  slack = await startSlackHarness(db, { pacing: false });
  drive = slackDriver(slack);
  return () => slack.close();
});

interface OutboxRow {
  state: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  claimed_by: string | null;
}

/** The triage card's outbox row for a report, as stored. */
const cardRow = async (reportId: string): Promise<OutboxRow | undefined> => {
  const result = await pglite.query<OutboxRow>(
    `select state, attempts, last_error, next_attempt_at, claimed_by from outbox
     where report_id = $1 and payload->>'type' = 'triage_card' order by id limit 1`,
    [reportId],
  );
  return result.rows[0];
};

const until = async <T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 4000,
) => {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const triagePosts = () => slack.api.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CTRIAGE');
const okPost = (args: Record<string, unknown>) => ({
  ok: true,
  channel: args.channel,
  ts: '1700000500.000100',
});

describe('Slack delivery failures, against the fake Web API', () => {
  it('429 with Retry-After: the retry is scheduled no sooner than Retry-After, and then the card is delivered', async () => {
    slack.api.respondOnce('chat.postMessage', rateLimited(1));
    await drive.submitIntake('V-429');
    const limited = await slack.api.waitFor('chat.postMessage', isTriageCardPost);

    const row = await until('the retry to be scheduled', async () => {
      const r = await cardRow('VULN-0001');
      return r && r.last_error === 'ratelimited' && r.claimed_by === null ? r : undefined;
    });
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error: 'ratelimited' });
    expect(row.next_attempt_at.getTime()).toBeGreaterThanOrEqual(limited.at + 1000);

    const retried = await until('the card to be posted again', async () => triagePosts()[1], 5000);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(1000);
    expect(await until('delivery', async () => (await cardRow('VULN-0001'))?.state === 'delivered')).toBe(
      true,
    );
    expect(await db.store.cards.find('VULN-0001', 'slack')).toMatchObject({ channelId: 'CTRIAGE' });
    expect(triagePosts()).toHaveLength(2);
  });

  it('channel_not_found parks the card as failed with the error, and does not retry it in a loop', async () => {
    slack.api.respondWith('chat.postMessage', (args) =>
      args.channel === 'CTRIAGE' ? { ok: false, error: 'channel_not_found' } : okPost(args),
    );
    await drive.submitIntake('V-404');
    const row = await until('the card to be parked', async () => {
      const r = await cardRow('VULN-0001');
      return r?.state === 'failed' ? r : undefined;
    });
    expect(row).toMatchObject({ state: 'failed', attempts: 1, last_error: 'channel_not_found' });
    const failed = await db.store.outbox.listFailed(10);
    expect(failed.map((m) => [m.reportId, m.payload.type, m.lastError])).toContainEqual([
      'VULN-0001',
      'triage_card',
      'channel_not_found',
    ]);
    // Several worker polls later (50 ms each), still exactly one attempt.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await slack.worker.drain();
    expect(triagePosts()).toHaveLength(1);
    expect((await cardRow('VULN-0001'))?.attempts).toBe(1);
    expect(slack.logger.lines.some((l) => l.level === 'warn' && /parked/.test(l.message))).toBe(true);
    // The reporter's confirmation goes to another destination and is not held back.
    await slack.api.waitFor('chat.postMessage', (c: RecordedCall) => c.args.channel === 'DURITA');
  });

  it('an HTTP 500 is retried with backoff and then delivered', async () => {
    slack.api.respondOnce('chat.postMessage', { status: 500, body: 'upstream exploded' });
    await drive.submitIntake('V-500');
    const first = await slack.api.waitFor('chat.postMessage', isTriageCardPost);
    const second = await until('the card to be posted again', async () => triagePosts()[1]);
    expect(second.at).toBeGreaterThan(first.at);
    const row = await until('delivery', async () => {
      const r = await cardRow('VULN-0001');
      return r?.state === 'delivered' ? r : undefined;
    });
    expect(row.attempts).toBe(2);
    expect(await db.store.cards.find('VULN-0001', 'slack')).not.toBeNull();
    expect(await db.store.outbox.listFailed(10)).toEqual([]);
  });

  it('a platform error that is not permanent (e.g. internal_error) is retried, not parked', async () => {
    slack.api.respondOnce('chat.postMessage', { ok: false, error: 'internal_error' });
    await drive.submitIntake('V-INTERNAL');
    await until('the card to be posted again', async () => triagePosts()[1]);
    const row = await until('delivery', async () => {
      const r = await cardRow('VULN-0001');
      return r?.state === 'delivered' ? r : undefined;
    });
    expect(row).toMatchObject({ attempts: 2 });
  });
});
