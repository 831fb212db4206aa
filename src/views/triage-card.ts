import type { Policy } from '../domain/policy.ts';
import { OUT_OF_SCOPE_REASONS, type Report, SEVERITIES } from '../domain/report.ts';
import { allowedNextStatuses, STATUS_LABELS } from '../domain/status-machine.ts';
import { maskSensitive } from '../security/sensitive-data.ts';
import { OUT_OF_SCOPE_LABELS } from './closing-wording.ts';
import {
  actorName,
  formatDayWithCountdown,
  formatDueInstant,
  formatInstant,
  formatSeverity,
  SEVERITY_LABELS,
} from './format.ts';

export const CARD_ACTIONS = {
  acknowledge: 'vuln_ack',
  assignToMe: 'vuln_assign_me',
  severity: 'vuln_severity',
  status: 'vuln_status',
  outOfScope: 'vuln_out_of_scope',
  disclosure: 'vuln_disclosure',
  duplicate: 'vuln_duplicate',
  reply: 'vuln_reply',
  reveal: 'vuln_reveal',
} as const;
export type CardActionId = (typeof CARD_ACTIONS)[keyof typeof CARD_ACTIONS];

export interface CardOption {
  readonly value: string;
  readonly label: string;
}

export type CardAction =
  | { readonly kind: 'button'; readonly id: CardActionId; readonly label: string; readonly primary?: boolean }
  | {
      readonly kind: 'select';
      readonly id: CardActionId;
      readonly placeholder: string;
      readonly options: readonly CardOption[];
    };

export interface CardField {
  readonly label: string;
  readonly value: string;
}

/** Reporter-supplied text: untrusted, rendered inert by every adapter. */
export interface CardSection {
  readonly label: string;
  readonly text: string;
}

export interface TriageCardView {
  readonly reportId: string;
  readonly title: string;
  readonly fields: readonly CardField[];
  readonly sections: readonly CardSection[];
  readonly actions: readonly CardAction[];
}

const fieldsOf = (report: Report, policy: Policy, now: Date): CardField[] => {
  const zone = policy.timeZone;
  const fields: CardField[] = [
    { label: 'Status', value: STATUS_LABELS[report.status] },
    { label: 'Severity', value: formatSeverity(report.severity, report.cvssScore, report.cvssVector) },
    { label: 'Asset', value: report.asset },
    { label: 'Assignee', value: actorName(report.assignee) },
    { label: 'Reporter', value: `${report.reporter.displayName} (${report.reporter.platform})` },
    { label: 'Received', value: formatInstant(report.receivedAt, zone) },
  ];
  if (report.acknowledgedAt === null) {
    fields.push({ label: 'Acknowledge by', value: formatDueInstant(report.ackDueAt, now, zone) });
  } else if (report.triagedAt === null) {
    fields.push({ label: 'Triage by', value: formatDueInstant(report.triageDueAt, now, zone) });
  }
  if (report.remediationDueOn !== null && report.fixedAt === null) {
    fields.push({ label: 'Fix by', value: formatDayWithCountdown(report.remediationDueOn, now, zone) });
  }
  fields.push({ label: 'Disclosure', value: formatDayWithCountdown(report.disclosureOn, now, zone) });
  if (report.duplicateOf) fields.push({ label: 'Duplicate of', value: report.duplicateOf });
  if (report.outOfScopeReason) {
    fields.push({ label: 'Out of scope', value: OUT_OF_SCOPE_LABELS[report.outOfScopeReason] });
  }
  return fields;
};

const actionsOf = (report: Report): CardAction[] => {
  const actions: CardAction[] = [];
  if (report.status === 'new') {
    actions.push({ kind: 'button', id: CARD_ACTIONS.acknowledge, label: 'Acknowledge', primary: true });
  }
  actions.push({ kind: 'button', id: CARD_ACTIONS.assignToMe, label: 'Assign to me' });
  actions.push({
    kind: 'select',
    id: CARD_ACTIONS.severity,
    placeholder: 'Severity',
    options: SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] })),
  });
  const next = allowedNextStatuses(report.status).filter((s) => s !== 'out_of_scope' && s !== 'duplicate');
  if (next.length > 0) {
    actions.push({
      kind: 'select',
      id: CARD_ACTIONS.status,
      placeholder: 'Status',
      options: next.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
    });
  }
  if (allowedNextStatuses(report.status).includes('out_of_scope')) {
    actions.push({
      kind: 'select',
      id: CARD_ACTIONS.outOfScope,
      placeholder: 'Out of scope',
      options: OUT_OF_SCOPE_REASONS.map((r) => ({ value: r, label: OUT_OF_SCOPE_LABELS[r] })),
    });
  }
  actions.push({ kind: 'button', id: CARD_ACTIONS.disclosure, label: 'Disclosure date' });
  if (allowedNextStatuses(report.status).includes('duplicate')) {
    actions.push({ kind: 'button', id: CARD_ACTIONS.duplicate, label: 'Duplicate of' });
  }
  actions.push({ kind: 'button', id: CARD_ACTIONS.reply, label: 'Reply to reporter' });
  actions.push({ kind: 'button', id: CARD_ACTIONS.reveal, label: 'Show full text' });
  return actions;
};

/** The card as a triager sees it in the channel: secrets and personal data masked, the rest verbatim. */
export const triageCardView = (report: Report, policy: Policy, now: Date): TriageCardView => {
  const title = maskSensitive(report.title);
  const sections = [
    { label: 'Description and steps to reproduce', ...maskSensitive(report.description) },
    { label: 'Impact', ...maskSensitive(report.impact) },
    ...(report.severityGuess
      ? [{ label: "Reporter's severity", ...maskSensitive(report.severityGuess) }]
      : []),
  ];
  const hidden = [...new Set([title, ...sections].flatMap((part) => part.findings.map((f) => f.kind)))];
  const fields = fieldsOf(report, policy, now);
  if (hidden.length > 0) fields.push({ label: 'Masked', value: `${hidden.join(', ')} (use Show full text)` });
  return {
    reportId: report.id,
    title: title.text,
    fields,
    sections: sections.map(({ label, text }) => ({ label, text })),
    actions: actionsOf(report),
  };
};
