import type { Actor } from '../domain/report.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { parseReportId } from '../domain/tracking-id.ts';
import { type CoreDeps, queueCardUpdate, queueThreadNote, storableText } from './context.ts';
import {
  type ActionOutcome,
  mutateReport,
  notFound,
  REPLAYED_MESSAGE,
  type RequestOptions,
} from './mutate-report.ts';
import { messageNotice } from './reporter-notices.ts';

export const MESSAGE_LIMIT = 2000;

const checkMessage = (text: string): Result<string> => {
  const trimmed = storableText(text).trim();
  if (!trimmed) return fail('command.usage', 'The message is empty; write something to send.');
  if (trimmed.length > MESSAGE_LIMIT) {
    return fail(
      'command.usage',
      `The message is ${trimmed.length} characters; the limit is ${MESSAGE_LIMIT}.`,
    );
  }
  return ok(trimmed);
};

/** An internal note: shown in the triage thread, never to the reporter. */
export const addNote = (
  deps: CoreDeps,
  actor: Actor,
  id: string,
  text: string,
): Promise<Result<ActionOutcome>> =>
  mutateReport(deps, actor, id, (report) => {
    const message = checkMessage(text);
    if (!message.ok) return message;
    return ok({
      after: report,
      action: 'report.note_added',
      note: `${actor.displayName} noted on ${report.id}: ${message.value}`,
      details: { note: message.value },
    });
  });

export const replyToReporter = (
  deps: CoreDeps,
  actor: Actor,
  id: string,
  text: string,
  options: RequestOptions = {},
): Promise<Result<ActionOutcome>> =>
  mutateReport(
    deps,
    actor,
    id,
    (report) => {
      const message = checkMessage(text);
      if (!message.ok) return message;
      return ok({
        after: report,
        action: 'report.reporter_messaged',
        note: `${actor.displayName} wrote to the reporter of ${report.id}: ${message.value}`,
        notice: messageNotice(report, message.value),
        details: { message: message.value },
      });
    },
    options,
  );

/**
 * The reporter answers (a needs-info question or a message): the answer lands in the triage thread,
 * and a report waiting for information goes back to the team.
 */
export const reporterAnswer = async (
  deps: CoreDeps,
  reporter: Actor,
  rawId: string,
  text: string,
  options: RequestOptions = {},
): Promise<Result<{ readonly reportId: string; readonly message: string; readonly replayed?: boolean }>> => {
  const message = checkMessage(text);
  if (!message.ok) return message;
  const id = parseReportId(deps.policy.reportIdPrefix, rawId);
  if (id === null) return notFound(rawId);
  const now = deps.now();
  return deps.store.transaction(async (repos) => {
    const report = await repos.reports.findById(id, { forUpdate: true });
    if (
      !report ||
      report.reporter.platform !== reporter.platform ||
      report.reporter.userId !== reporter.userId
    ) {
      return notFound(rawId);
    }
    if (options.requestKey && !(await repos.replays.firstSeen(options.requestKey, now))) {
      return ok({ reportId: id, message: REPLAYED_MESSAGE, replayed: true });
    }
    const resumed = report.status === 'needs_info' ? (report.statusBeforeNeedsInfo ?? 'acknowledged') : null;
    if (resumed) {
      await repos.reports.update({ ...report, status: resumed, statusBeforeNeedsInfo: null, updatedAt: now });
    }
    await repos.audit.append({
      reportId: id,
      actor: reporter,
      action: 'report.reporter_answered',
      before: resumed ? { status: report.status } : {},
      after: { ...(resumed ? { status: resumed } : {}), message: message.value },
      at: now,
    });
    await queueThreadNote(
      deps,
      repos,
      id,
      `The reporter (${reporter.displayName}) answered on ${id}: ${message.value}`,
      now,
    );
    if (resumed) await queueCardUpdate(deps, repos, report, now);
    return ok({ reportId: id, message: `Thank you: your answer on ${id} was sent to the security team.` });
  });
};
