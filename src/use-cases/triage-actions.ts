import { parseDisclosureDate, remediationDueOn } from '../domain/clocks.ts';
import { looksLikeCvssVector, parseCvss } from '../domain/cvss.ts';
import {
  type Actor,
  isClosed,
  OUT_OF_SCOPE_REASONS,
  type OutOfScopeReason,
  type Report,
  SEVERITIES,
  type Severity,
  sameActor,
} from '../domain/report.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { checkTransition, parseStatus, STATUS_LABELS } from '../domain/status-machine.ts';
import { parseReportId } from '../domain/tracking-id.ts';
import { formatSeverity } from '../views/format.ts';
import { type CoreDeps, storableText } from './context.ts';
import {
  type ActionOutcome,
  mutateReport,
  notFound,
  type ReportChange,
  type RequestOptions,
} from './mutate-report.ts';
import {
  acknowledgedNotice,
  disclosureNotice,
  duplicateNotice,
  needsInfoNotice,
  outOfScopeNotice,
  statusNotice,
} from './reporter-notices.ts';

type Outcome = Promise<Result<ActionOutcome>>;

/** Applies a status move with the timestamps and clocks that belong to it. */
const moveTo = (report: Report, to: Report['status'], now: Date, deps: CoreDeps): Result<Report> => {
  const legal = checkTransition(report.status, to);
  if (!legal.ok) return legal;
  const next: Report = {
    ...report,
    status: to,
    statusBeforeNeedsInfo: to === 'needs_info' ? report.status : null,
    acknowledgedAt: report.acknowledgedAt ?? (to === 'new' ? null : now),
    triagedAt: report.triagedAt ?? (['triaged', 'fixing', 'fixed'].includes(to) ? now : null),
    fixedAt: to === 'fixed' ? now : report.fixedAt,
    disclosedAt: to === 'disclosed' ? now : report.disclosedAt,
    duplicateOf: to === 'duplicate' ? report.duplicateOf : null,
    outOfScopeReason: to === 'out_of_scope' ? report.outOfScopeReason : null,
  };
  const remediation =
    next.severity !== null && next.remediationDueOn === null && next.triagedAt !== null
      ? remediationDueOn(next.severity, next.triagedAt, deps.policy)
      : next.remediationDueOn;
  return ok({ ...next, remediationDueOn: remediation });
};

export const acknowledge = (
  deps: CoreDeps,
  actor: Actor,
  id: string,
  options: RequestOptions = {},
): Outcome =>
  mutateReport(
    deps,
    actor,
    id,
    (report, now) => {
      if (report.status !== 'new') {
        return fail('report.invalid_transition', `${report.id} was already acknowledged; nothing changed.`);
      }
      const moved = moveTo(report, 'acknowledged', now, deps);
      if (!moved.ok) return moved;
      return ok({
        after: moved.value,
        action: 'report.acknowledged',
        note: `${actor.displayName} acknowledged ${report.id}.`,
        notice: acknowledgedNotice(moved.value),
      });
    },
    options,
  );

export const assign = (
  deps: CoreDeps,
  actor: Actor,
  id: string,
  assignee: Actor,
  options: RequestOptions = {},
): Outcome =>
  mutateReport(
    deps,
    actor,
    id,
    (report) => {
      if (sameActor(report.assignee, assignee)) {
        return fail(
          'report.invalid_transition',
          `${report.id} is already assigned to ${assignee.displayName}.`,
        );
      }
      return ok({
        after: { ...report, assignee },
        action: 'report.assigned',
        note: `${actor.displayName} assigned ${report.id} to ${assignee.displayName}.`,
      });
    },
    options,
  );

export const setSeverity = (
  deps: CoreDeps,
  actor: Actor,
  id: string,
  input: string,
  options: RequestOptions = {},
): Outcome =>
  mutateReport(
    deps,
    actor,
    id,
    (report, now) => {
      const text = input.trim();
      let severity: Severity;
      let cvssVector: string | null = null;
      let cvssScore: number | null = null;
      if (looksLikeCvssVector(text)) {
        const parsed = parseCvss(text);
        if (!parsed.ok) return parsed;
        ({ severity, vector: cvssVector, score: cvssScore } = parsed.value);
      } else if ((SEVERITIES as readonly string[]).includes(text.toLowerCase())) {
        severity = text.toLowerCase() as Severity;
      } else {
        return fail(
          'severity.invalid',
          `"${text}" is not a severity. Use ${SEVERITIES.join(', ')} or a CVSS vector (CVSS:3.1/... or CVSS:4.0/...).`,
        );
      }
      if (report.severity === severity && report.cvssVector === cvssVector) {
        return fail('report.invalid_transition', `${report.id} already has that severity; nothing changed.`);
      }
      const from = report.triagedAt ?? now;
      const after: Report = {
        ...report,
        severity,
        cvssVector,
        cvssScore,
        remediationDueOn: report.fixedAt
          ? report.remediationDueOn
          : remediationDueOn(severity, from, deps.policy),
      };
      return ok({
        after,
        action: 'report.severity_set',
        note: `${actor.displayName} set severity of ${report.id} to ${formatSeverity(severity, cvssScore, cvssVector)}.`,
      });
    },
    options,
  );

export const setStatus = (
  deps: CoreDeps,
  actor: Actor,
  id: string,
  input: string,
  message = '',
  options: RequestOptions = {},
): Outcome =>
  mutateReport(
    deps,
    actor,
    id,
    (report, now) => {
      const question = storableText(message).trim();
      const status = parseStatus(input);
      if (!status.ok) return status;
      if (status.value === 'out_of_scope') {
        return fail(
          'command.usage',
          'Use `/vuln oos <ID> <reason>` (or the Out of scope menu) so the reporter gets the reason.',
        );
      }
      if (status.value === 'duplicate') {
        return fail('command.usage', 'Use `/vuln duplicate <ID> <original ID>` so the original is recorded.');
      }
      const moved = moveTo(report, status.value, now, deps);
      if (!moved.ok) return moved;
      const after = moved.value;
      const reopened = isClosed(report.status);
      return ok({
        after,
        action: reopened ? 'report.reopened' : 'report.status_set',
        note: `${actor.displayName} ${reopened ? 'reopened' : 'moved'} ${report.id} ${reopened ? 'as' : 'to'} ${STATUS_LABELS[after.status]}.`,
        notice:
          after.status === 'needs_info'
            ? needsInfoNotice(after, question)
            : after.status === 'acknowledged' && report.status === 'new'
              ? acknowledgedNotice(after)
              : statusNotice(after),
        ...(question ? { details: { message: question } } : {}),
      });
    },
    options,
  );

export const setDisclosureDate = (deps: CoreDeps, actor: Actor, id: string, input: string): Outcome =>
  mutateReport(deps, actor, id, (report, now) => {
    const day = parseDisclosureDate(input, {
      now,
      receivedAt: report.receivedAt,
      timeZone: deps.policy.timeZone,
    });
    if (!day.ok) return day;
    if (day.value === report.disclosureOn) {
      return fail('report.invalid_transition', `${report.id} is already set to disclose on ${day.value}.`);
    }
    const after: Report = { ...report, disclosureOn: day.value };
    return ok({
      after,
      action: 'report.disclosure_date_set',
      note: `${actor.displayName} moved the disclosure date of ${report.id} from ${report.disclosureOn} to ${day.value}.`,
      notice: disclosureNotice(after, report.disclosureOn),
    });
  });

export const markDuplicate = (deps: CoreDeps, actor: Actor, id: string, originalInput: string): Outcome => {
  const original = parseReportId(deps.policy.reportIdPrefix, originalInput);
  return mutateReport(deps, actor, id, (report, now) => {
    if (original === null) return notFound(originalInput);
    if (original === report.id)
      return fail('report.duplicate_of_self', 'A report cannot be a duplicate of itself.');
    const moved = moveTo(report, 'duplicate', now, deps);
    if (!moved.ok) return moved;
    const change: ReportChange = {
      after: { ...moved.value, duplicateOf: original },
      action: 'report.marked_duplicate',
      note: `${actor.displayName} closed ${report.id} as a duplicate of ${original}.`,
      notice: duplicateNotice(moved.value),
      verify: async (repos) =>
        (await repos.reports.findById(original)) ? ok(true) : notFound(originalInput),
    };
    return ok(change);
  });
};

export const parseOutOfScopeReason = (input: string): Result<OutOfScopeReason> => {
  const key = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const aliases: Record<string, OutOfScopeReason> = {
    dos: 'denial_of_service',
    credential: 'compromised_credential',
    third_party_system: 'third_party',
    thirdparty: 'third_party',
  };
  const reason = aliases[key] ?? key;
  if ((OUT_OF_SCOPE_REASONS as readonly string[]).includes(reason)) return ok(reason as OutOfScopeReason);
  return fail(
    'command.usage',
    `Unknown reason "${input.trim()}". Use one of: ${OUT_OF_SCOPE_REASONS.join(', ')}.`,
  );
};

export const closeOutOfScope = (
  deps: CoreDeps,
  actor: Actor,
  id: string,
  reasonInput: string,
  options: RequestOptions = {},
): Outcome =>
  mutateReport(
    deps,
    actor,
    id,
    (report, now) => {
      const reason = parseOutOfScopeReason(reasonInput);
      if (!reason.ok) return reason;
      const moved = moveTo(report, 'out_of_scope', now, deps);
      if (!moved.ok) return moved;
      const after = { ...moved.value, outOfScopeReason: reason.value };
      return ok({
        after,
        action: 'report.out_of_scope',
        note: `${actor.displayName} closed ${report.id} as out of scope (${reason.value.replaceAll('_', ' ')}).`,
        notice: outOfScopeNotice(after, reason.value),
      });
    },
    options,
  );
