import type { Actor } from '../domain/report.ts';
import { type AppError, fail, ok, type Result } from '../domain/result.ts';
import { formatReportId } from '../domain/tracking-id.ts';
import type { IntakeReservation, NewReportRecord, Store, StoredReport } from '../ports/store.ts';
import type { ReporterNotice } from '../views/reporter-notice.ts';
import { type CoreDeps, cardUpdateMessages, reporterNoticeMessage } from './context.ts';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';
import { confirmationFor } from './intake-confirmation.ts';

const HOUR_MS = 3_600_000;

/** A valid submission, ready to be filed: everything but its number and ID is decided. */
export interface ReportDraft {
  readonly deps: CoreDeps;
  readonly submissionKey: string | null;
  readonly reporter: Actor;
  readonly receivedAt: Date;
  readonly fields: Omit<StoredReport, 'id' | 'number'>;
}

export interface SubmitOutcome {
  readonly report: StoredReport;
  /** False when the same submission had already been stored. */
  readonly created: boolean;
  readonly confirmation: ReporterNotice;
}

export type Filed = Result<SubmitOutcome, AppError>;

type Fate =
  | { readonly kind: 'existing'; readonly id: string }
  | { readonly kind: 'limited'; readonly recent: number }
  | { readonly kind: 'accepted' };

const rateLimited = (recent: number): Filed =>
  fail(
    'report.rate_limited',
    `You have filed ${recent} reports in the last hour, the most we accept. Your text is not lost: copy it and try again later, or contact the security team directly.`,
  );

/**
 * Each draft's fate: an already filed submission key answers with that report; a reporter at the
 * hourly limit, counting the drafts accepted before it in the same batch, is refused; the rest are
 * accepted, in order.
 */
const decide = (drafts: readonly ReportDraft[], reservations: readonly IntakeReservation[]): Fate[] => {
  const acceptedPerReporter = new Map<string, number>();
  return drafts.map((draft, i) => {
    const reservation = reservations[i];
    if (!reservation) throw new Error(`no reservation for submission ${i} of ${drafts.length}`);
    if (reservation.existingId !== null) return { kind: 'existing', id: reservation.existingId };
    const reporter = `${draft.reporter.platform}:${draft.reporter.userId}`;
    const earlier = acceptedPerReporter.get(reporter) ?? 0;
    const recent = reservation.recent + earlier;
    const limit = draft.deps.reportsPerHour;
    if (limit > 0 && recent >= limit) return { kind: 'limited', recent };
    acceptedPerReporter.set(reporter, earlier + 1);
    return { kind: 'accepted' };
  });
};

const newRecord = (
  draft: ReportDraft,
  number: number,
): NewReportRecord & { confirmation: ReporterNotice } => {
  const id = formatReportId(draft.deps.policy.reportIdPrefix, number);
  const report: StoredReport = { ...draft.fields, id, number };
  const confirmation = confirmationFor(report, draft.deps);
  return {
    report,
    confirmation,
    messages: [
      ...cardUpdateMessages(draft.deps, report, draft.receivedAt, true),
      reporterNoticeMessage(report, confirmation, draft.receivedAt),
    ],
    event: {
      reportId: report.id,
      actor: draft.reporter,
      action: 'report.submitted',
      before: {},
      after: { status: 'new', asset: report.asset, disclosureOn: report.disclosureOn },
      at: draft.receivedAt,
    },
  };
};

const alreadyFiled = async (store: Store, draft: ReportDraft, id: string | null): Promise<Filed> => {
  const report =
    id !== null
      ? await store.reports.findById(id)
      : draft.submissionKey !== null
        ? await store.reports.findBySubmissionKey(draft.submissionKey)
        : null;
  if (!report) throw new Error('a report found by its submission key could not be read back');
  return ok({ report, created: false, confirmation: confirmationFor(report, draft.deps) });
};

/**
 * Files drafts with two statements for the whole batch: one checks them and reserves their numbers,
 * one inserts the reports with their outbox messages and audit events (atomic on its own, so every
 * report is committed with its audit event and messages). Drafts sharing a submission key file one
 * report: the first files it, the others answer with it.
 */
export const fileReports = async (store: Store, drafts: readonly ReportDraft[]): Promise<Filed[]> => {
  const leaderOf = new Map<string, number>();
  const leaders: number[] = [];
  const ledBy = drafts.map((draft, i) => {
    const leader = draft.submissionKey === null ? undefined : leaderOf.get(draft.submissionKey);
    if (leader !== undefined) return leader;
    if (draft.submissionKey !== null) leaderOf.set(draft.submissionKey, i);
    leaders.push(i);
    return i;
  });
  const leading = leaders.map((i) => drafts[i] as ReportDraft);

  const reservations = await store.intake.reserve(
    leading.map((draft) => ({
      submissionKey: draft.submissionKey,
      reporter: draft.reporter,
      perHour: draft.deps.reportsPerHour,
      since: new Date(draft.receivedAt.getTime() - HOUR_MS),
    })),
  );
  const fates = decide(leading, reservations);
  const numbers = reservations
    .map((r) => r.number)
    .filter((n): n is number => n !== null)
    .sort((a, b) => a - b);
  if (numbers.length < fates.filter((f) => f.kind === 'accepted').length)
    throw new Error('fewer report numbers were reserved than submissions accepted');

  const outcomes = new Map<number, Filed>();
  const records: { index: number; record: ReturnType<typeof newRecord> }[] = [];
  for (const [position, fate] of fates.entries()) {
    const index = leaders[position] as number;
    const draft = leading[position] as ReportDraft;
    if (fate.kind === 'existing') outcomes.set(index, await alreadyFiled(store, draft, fate.id));
    else if (fate.kind === 'limited') outcomes.set(index, rateLimited(fate.recent));
    else records.push({ index, record: newRecord(draft, numbers[records.length] as number) });
  }

  const inserted = new Set(await store.intake.file(records.map((r) => r.record)));
  for (const { index, record } of records) {
    const { report, confirmation } = record;
    outcomes.set(
      index,
      inserted.has(report.id)
        ? ok({ report, created: true, confirmation })
        : // Filed meanwhile by another writer with the same submission key.
          await alreadyFiled(store, drafts[index] as ReportDraft, null),
    );
  }

  return drafts.map((draft, i) => {
    const outcome = outcomes.get(ledBy[i] as number);
    if (!outcome) throw new Error(`no outcome for submission ${i} of ${drafts.length}`);
    if (ledBy[i] === i || !outcome.ok) return outcome;
    const { report } = outcome.value;
    return ok({ report, created: false, confirmation: confirmationFor(report, draft.deps) });
  });
};

/** Batches of at most this many drafts; a larger burst is written in several batches. */
const MAX_BATCH = 64;
/** One batch at a time: submissions arriving meanwhile form the next batch. */
const MAX_IN_FLIGHT = 1;

const writers = new WeakMap<Store, GroupCommit<ReportDraft, Filed>>();

/** Files one draft, together with whatever other drafts for the same store are waiting. */
export const fileReport = (draft: ReportDraft): Promise<Filed> => {
  const store = draft.deps.store;
  let writer = writers.get(store);
  if (!writer) {
    writer = createGroupCommit((drafts) => fileReports(store, drafts), {
      maxBatch: MAX_BATCH,
      maxInFlight: MAX_IN_FLIGHT,
    });
    writers.set(store, writer);
  }
  return writer.write(draft);
};
