import { OPEN_STATUSES } from '../domain/report.ts';
import { errorText } from '../logging/error-text.ts';
import type { Repositories } from '../ports/store.ts';
import type { CoreDeps } from '../use-cases/context.ts';
import { digestFromReports } from '../use-cases/digest.ts';
import { dueReminders } from './reminder-kinds.ts';
import { type DigestSchedule, dueDigestDay } from './schedule-clock.ts';

export interface SchedulerOptions {
  readonly core: CoreDeps;
  readonly schedule: DigestSchedule;
  readonly claimedBy: string;
  readonly wakeOutbox: () => void;
  readonly intervalMs?: number;
}

export interface Scheduler {
  /** Posts what is due now: the day's digest (once per destination) and reminders (once each). */
  tick(): Promise<{ readonly digests: number; readonly reminders: number }>;
  start(): void;
  stop(): void;
}

const SCAN_LIMIT = 5000;
/** Replayed requests are refused for a day; platforms stop retrying long before. */
const REPLAY_MEMORY_MS = 86_400_000;
/** Delivered messages keep their text a week (for investigating a delivery), then only metadata. */
const DELIVERED_TEXT_RETENTION_MS = 7 * 86_400_000;

export const createScheduler = (options: SchedulerOptions): Scheduler => {
  const { core, schedule, claimedBy } = options;
  let timer: NodeJS.Timeout | null = null;

  const postDigests = async (now: Date): Promise<number> => {
    const day = dueDigestDay(now, schedule, core.policy.timeZone);
    if (day === null) return 0;
    let posted = 0;
    for (const platform of core.triagePlatforms) {
      const claimed = await core.store.transaction(async (repos) => {
        if (!(await repos.schedule.claimDigest(`${platform}:triage`, day, claimedBy, now))) return false;
        const open = await repos.reports.list({ statuses: OPEN_STATUSES, limit: SCAN_LIMIT });
        const digest = digestFromReports(open, now, core.policy.timeZone);
        await repos.outbox.enqueue({
          platform,
          destination: 'triage',
          reportId: null,
          payload: { type: 'digest', digest },
          createdAt: now,
        });
        return true;
      });
      if (claimed) posted += 1;
    }
    return posted;
  };

  const remind = async (
    repos: Repositories,
    reportId: string,
    text: string,
    assignee: CoreDeps['triagePlatforms'][number] | null,
    assigneeId: string | null,
    now: Date,
  ) => {
    const toAssignee = assignee !== null && assigneeId !== null && core.triagePlatforms.includes(assignee);
    const targets = toAssignee
      ? [{ platform: assignee, destination: `user:${assigneeId}` }]
      : core.triagePlatforms.map((platform) => ({ platform, destination: 'triage' }));
    for (const target of targets) {
      await repos.outbox.enqueue({
        ...target,
        reportId: null,
        payload: { type: 'channel_text', title: `Reminder: ${reportId}`, lines: [text] },
        createdAt: now,
      });
    }
  };

  const postReminders = async (now: Date): Promise<number> => {
    const open = await core.store.reports.list({ statuses: OPEN_STATUSES, limit: SCAN_LIMIT });
    let sent = 0;
    for (const report of open) {
      for (const reminder of dueReminders(report, now, core.policy.timeZone)) {
        const claimed = await core.store.transaction(async (repos) => {
          if (!(await repos.schedule.claimReminder(report.id, reminder.kind, now))) return false;
          await remind(
            repos,
            report.id,
            reminder.text,
            report.assignee?.platform ?? null,
            report.assignee?.userId ?? null,
            now,
          );
          return true;
        });
        if (claimed) sent += 1;
      }
    }
    return sent;
  };

  const tick = async () => {
    const now = core.now();
    const digests = await postDigests(now);
    const reminders = await postReminders(now);
    await core.store.replays.forgetBefore(new Date(now.getTime() - REPLAY_MEMORY_MS));
    await core.store.outbox.purgeDelivered(new Date(now.getTime() - DELIVERED_TEXT_RETENTION_MS));
    if (digests + reminders > 0) options.wakeOutbox();
    return { digests, reminders };
  };

  const loop = async () => {
    try {
      await tick();
    } catch (error) {
      core.logger.error({ err: errorText(error) }, 'scheduler tick failed');
    }
    if (timer !== null) timer = setTimeout(loop, options.intervalMs ?? 30_000);
  };

  return {
    tick,
    start() {
      if (timer !== null) return;
      timer = setTimeout(loop, 0);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
};
