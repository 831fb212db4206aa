import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeMessage, threadNoteMessage } from '../../../adapters/slack/render/message-blocks.ts';
import type { OutboxWorker } from '../../../src/delivery/outbox-worker.ts';
import type { Actor } from '../../../src/domain/report.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { submitReport } from '../../../src/use-cases/submit-report.ts';
import {
  acknowledge,
  setDisclosureDate,
  setSeverity,
  setStatus,
} from '../../../src/use-cases/triage-actions.ts';
import { alice, coreDeps, validSubmission } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import {
  type Answered,
  describeCalls,
  type FaultPlan,
  type FaultySlack,
  type OutageProxy,
  reportIdOf,
  retryAfterViolations,
  startFaultySlack,
  startOutageProxy,
} from './support/faulty-slack.ts';
import { type OutboxRow, type OutboxTable, outboxTable } from './support/outbox-table.ts';
import {
  eventually,
  memoryLogger,
  slackDelivery,
  slackWorker,
  sleep,
  TRIAGE_CHANNEL,
} from './support/slack-worker.ts';

/** `FAULT_REPORTS=2000 npx vitest run test/integration/delivery/delivery-faults.test.ts` for a longer run. */
const REPORTS = Number(process.env.FAULT_REPORTS ?? 200);
const REPORTERS = 17;
const CLIENT_TIMEOUT_MS = 250;

/** A small seeded generator, so a failing run can be replayed with FAULT_SEED. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const reporterOf = (i: number): Actor => ({
  platform: 'slack',
  userId: `UREP${i % REPORTERS}`,
  displayName: `reporter ${i % REPORTERS}`,
});

const signature = (channel: string, threadTs: string, blocks: unknown) =>
  `${channel}|${threadTs}|${JSON.stringify(blocks)}`;

const callSignature = (a: Answered) =>
  signature(String(a.call.args.channel), String(a.call.args.thread_ts ?? ''), a.call.args.blocks);

describe(`outbox delivery to a faulty Slack API (${REPORTS} reports)`, () => {
  let pg: TestStore;
  let slack: FaultySlack;
  let proxy: OutageProxy;
  let table: OutboxTable;
  let core: CoreDeps;
  const workers: OutboxWorker[] = [];
  const logger = memoryLogger();

  beforeAll(async () => {
    pg = await postgresTestStore();
    slack = await startFaultySlack();
    proxy = await startOutageProxy(slack.api.url);
    table = outboxTable(pg.url ?? '');
    core = coreDeps(pg.store, { now: () => new Date() });
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await proxy?.close();
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  it(
    'delivers every message exactly once, in order per report, honouring Retry-After',
    async () => {
      const random = seeded(Number(process.env.FAULT_SEED ?? 20261126));
      let mode: 'outage500' | 'flaky' | 'healthy' = 'outage500';
      const plan: FaultPlan = (call) => {
        if (mode === 'healthy') return null;
        if (mode === 'outage500') return { kind: 'error500' };
        const roll = random();
        if (roll < 0.08) return { kind: 'error500' };
        if (roll < 0.13 && call.method !== 'conversations.open') return { kind: 'ratelimit', retryAfterS: 1 };
        if (roll < 0.16) return { kind: 'hang', ms: 4 * CLIENT_TIMEOUT_MS };
        return null;
      };
      slack.setPlan(plan);

      for (const id of ['w1', 'w2']) {
        const worker = slackWorker(
          pg.store,
          slackDelivery(proxy.url, { timeoutMs: CLIENT_TIMEOUT_MS, pacing: null }),
          { workerId: id, logger },
        );
        workers.push(worker);
        worker.start();
      }

      // The API answers 500 to everything for a while, then is flaky; a third of the way in it
      // refuses connections for a while; triage actions run while earlier messages are still in flight.
      const outageAt = Math.floor(REPORTS / 3);
      for (let i = 0; i < REPORTS; i += 1) {
        if (i === 10) mode = 'flaky';
        if (i === outageAt) {
          proxy.down();
          setTimeout(() => void proxy.up(), 800);
        }
        const filed = await submitReport(core, {
          reporter: reporterOf(i),
          submission: validSubmission({ title: `Report number ${i}` }),
          submissionKey: `view-${i}`,
        });
        if (!filed.ok) throw new Error(filed.error.message);
        const id = filed.value.report.id;
        if (i % 3 === 0) expect((await acknowledge(core, alice, id)).ok).toBe(true);
        if (i % 4 === 0) expect((await setSeverity(core, alice, id, 'high')).ok).toBe(true);
        if (i % 6 === 0)
          expect((await setStatus(core, alice, id, 'needs_info', `Which build? (${i})`)).ok).toBe(true);
        if (i % 5 === 0) expect((await setDisclosureDate(core, alice, id, '+120d')).ok).toBe(true);
        for (const worker of workers) worker.wake();
      }
      await sleep(1500);
      mode = 'healthy';
      await eventually(
        async () => (await table.undelivered()) === 0,
        Math.max(60_000, REPORTS * 200),
        () => `(${JSON.stringify(logger.lines.slice(-5))})`,
      );

      const rows = await table.all();
      expect(rows.filter((r) => r.state !== 'delivered')).toEqual([]);

      // The faults really happened.
      const outcomes = new Set(slack.answered.map((a) => a.outcome));
      expect([...outcomes]).toEqual(expect.arrayContaining(['ok', 'error500', 'ratelimit', 'hang']));
      const retried = logger.lines.filter((l) => l.message === 'outbox delivery will be retried');
      expect(retried.some((l) => l.fields.error === 'slack_webapi_request_error')).toBe(true);

      const posts = slack.accepted('chat.postMessage');
      const cardPosts = posts.filter(
        (a) => a.call.args.thread_ts === undefined && a.call.args.channel === TRIAGE_CHANNEL,
      );
      const threadPosts = posts.filter((a) => a.call.args.thread_ts !== undefined);
      const dmPosts = posts.filter((a) => String(a.call.args.channel).startsWith('D'));
      expect(cardPosts.length + threadPosts.length + dmPosts.length).toBe(posts.length);

      // One card per report, no more.
      const cardsByReport = new Map<string, Answered[]>();
      for (const post of cardPosts) {
        const id = reportIdOf(post.call) ?? 'unknown';
        cardsByReport.set(id, [...(cardsByReport.get(id) ?? []), post]);
      }
      const reportIds = [...new Set(rows.flatMap((r) => (r.reportId ? [r.reportId] : [])))];
      expect(reportIds).toHaveLength(REPORTS);
      expect([...cardsByReport.keys()].sort()).toEqual([...reportIds].sort());
      const duplicatedCards = [...cardsByReport].filter(([, list]) => list.length !== 1).map(([id]) => id);
      expect(duplicatedCards).toEqual([]);
      const cardTs = new Map([...cardsByReport].map(([id, [post]]) => [id, String(post?.ts)]));
      const cardAt = new Map([...cardsByReport].map(([id, [post]]) => [id, post?.call.at ?? 0]));

      // Every thread note and reporter notice accepted exactly once, and nothing else was posted.
      const expected = new Map<string, OutboxRow>();
      for (const row of rows) {
        if (row.payload.type === 'thread_note') {
          const ts = cardTs.get(row.reportId ?? '') ?? 'no card';
          expected.set(signature(TRIAGE_CHANNEL, ts, threadNoteMessage(row.payload.text).blocks), row);
        } else if (row.payload.type === 'reporter_notice') {
          expected.set(
            signature(
              `D${row.destination.slice('user:'.length)}`,
              '',
              noticeMessage(row.payload.notice).blocks,
            ),
            row,
          );
        }
      }
      const noteAndNoticeRows = rows.filter((r) =>
        ['thread_note', 'reporter_notice'].includes(r.payload.type),
      );
      expect(expected.size).toBe(noteAndNoticeRows.length);
      const seen = new Map<string, Answered[]>();
      for (const post of [...threadPosts, ...dmPosts]) {
        const key = callSignature(post);
        seen.set(key, [...(seen.get(key) ?? []), post]);
      }
      expect([...seen.keys()].filter((k) => !expected.has(k))).toEqual([]);
      expect([...expected.keys()].filter((k) => seen.get(k)?.length !== 1)).toEqual([]);

      // In order per report: the card before its thread notes; notes and notices as they were written.
      const problems: string[] = [];
      for (const id of reportIds) {
        const acceptedAt = (type: string) =>
          rows
            .filter((r) => r.reportId === id && r.payload.type === type)
            .map((r) => {
              const key = [...expected].find(([, row]) => row.id === r.id)?.[0] ?? '';
              return seen.get(key)?.[0]?.call.at ?? Number.NaN;
            });
        const notes = acceptedAt('thread_note');
        const notices = acceptedAt('reporter_notice');
        if (notes.some((at) => at < (cardAt.get(id) ?? Number.POSITIVE_INFINITY)))
          problems.push(`${id}: note before card`);
        for (const [name, times] of [
          ['notes', notes],
          ['notices', notices],
        ] as const) {
          if (times.some((at, k) => k > 0 && at < (times[k - 1] ?? 0)))
            problems.push(`${id}: ${name} out of order`);
        }
      }
      expect(problems).toEqual([]);

      // A rate-limited message is never tried again before its Retry-After has passed.
      expect(
        retryAfterViolations(slack.answered),
        describeCalls(slack.answered).slice(-40).join('\n'),
      ).toEqual([]);
      expect(slack.answered.filter((a) => a.outcome === 'ratelimit').length).toBeGreaterThan(0);
    },
    Math.max(150_000, REPORTS * 600),
  );
});
