import type { Policy } from '../domain/policy.ts';
import type { Actor, Platform, Report } from '../domain/report.ts';
import type { Authorizer } from '../ports/authorizer.ts';
import type { Logger } from '../ports/logger.ts';
import type { NewOutboxMessage, Repositories, Store } from '../ports/store.ts';
import type { ReporterNotice } from '../views/reporter-notice.ts';

export interface CoreDeps {
  readonly store: Store;
  readonly policy: Policy;
  readonly authorizer: Authorizer;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Platforms with a configured triage channel: each gets the card and thread notes. */
  readonly triagePlatforms: readonly Platform[];
  /** New reports one reporter may file per hour; 0 turns the limit off. */
  readonly reportsPerHour: number;
  /** Operator alerts from the adapters (shown by `/vuln health`). */
  readonly alerts?: () => readonly string[];
}

/** The messages that post (or, later, update) a report's card in every triage channel. */
export const cardUpdateMessages = (
  deps: CoreDeps,
  report: Report,
  at: Date,
  create = false,
): NewOutboxMessage[] =>
  deps.triagePlatforms.map((platform) => ({
    platform,
    destination: 'triage',
    reportId: report.id,
    payload: create ? { type: 'triage_card', create: true } : { type: 'triage_card' },
    createdAt: at,
  }));

export const queueCardUpdate = async (
  deps: CoreDeps,
  repos: Repositories,
  report: Report,
  at: Date,
  create = false,
) => {
  await repos.outbox.enqueueMany(cardUpdateMessages(deps, report, at, create));
};

export const queueThreadNote = async (
  deps: CoreDeps,
  repos: Repositories,
  reportId: string,
  text: string,
  at: Date,
) => {
  await repos.outbox.enqueueMany(
    deps.triagePlatforms.map((platform) => ({
      platform,
      destination: 'triage',
      reportId,
      payload: { type: 'thread_note', text },
      createdAt: at,
    })),
  );
};

/** The direct message that tells the reporter something about their report. */
export const reporterNoticeMessage = (
  report: Report,
  notice: ReporterNotice,
  at: Date,
): NewOutboxMessage => ({
  platform: report.reporter.platform,
  destination: `user:${report.reporter.userId}`,
  reportId: report.id,
  payload: { type: 'reporter_notice', notice },
  createdAt: at,
});

export const queueReporterNotice = async (
  repos: Repositories,
  report: Report,
  notice: ReporterNotice,
  at: Date,
) => {
  await repos.outbox.enqueue(reporterNoticeMessage(report, notice, at));
};

const auditable = (value: unknown): unknown => {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return { ...value };
  return value;
};

/** The fields that changed, before and after, for the audit trail. */
export const diffReports = (before: Report, after: Report) => {
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof Report)[]) {
    if (key === 'updatedAt') continue;
    const a = JSON.stringify(auditable(before[key]));
    const b = JSON.stringify(auditable(after[key]));
    if (a !== b) {
      changedBefore[key] = auditable(before[key]) ?? null;
      changedAfter[key] = auditable(after[key]) ?? null;
    }
  }
  return { before: changedBefore, after: changedAfter };
};

export const actorLabel = (actor: Actor): string => actor.displayName;

/**
 * PostgreSQL text cannot hold U+0000 and jsonb cannot hold a lone surrogate; typed or pasted text
 * (a binary proof of concept, a cut emoji) loses them before it is stored instead of failing the write.
 */
export const storableText = (text: string): string =>
  text.replaceAll('\u0000', '').replace(/\p{Cs}/gu, '\uFFFD');
