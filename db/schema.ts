import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const day = (name: string) => date(name, { mode: 'string' });

export const reportNumberSequence = pgSequence('report_number_seq', { startWith: 1, increment: 1 });

export const reports = pgTable(
  'reports',
  {
    id: text('id').primaryKey(),
    number: integer('number').notNull().unique(),
    submissionKey: text('submission_key').unique(),
    title: text('title').notNull(),
    asset: text('asset').notNull(),
    description: text('description').notNull(),
    impact: text('impact').notNull(),
    severityGuess: text('severity_guess').notNull().default(''),
    reporterPlatform: text('reporter_platform').notNull(),
    reporterId: text('reporter_id').notNull(),
    reporterName: text('reporter_name').notNull(),
    policyAcceptedAt: instant('policy_accepted_at').notNull(),
    status: text('status').notNull(),
    statusBeforeNeedsInfo: text('status_before_needs_info'),
    severity: text('severity'),
    cvssVector: text('cvss_vector'),
    cvssScore: doublePrecision('cvss_score'),
    assigneePlatform: text('assignee_platform'),
    assigneeId: text('assignee_id'),
    assigneeName: text('assignee_name'),
    duplicateOf: text('duplicate_of'),
    outOfScopeReason: text('out_of_scope_reason'),
    closeNote: text('close_note'),
    receivedAt: instant('received_at').notNull(),
    acknowledgedAt: instant('acknowledged_at'),
    triagedAt: instant('triaged_at'),
    fixedAt: instant('fixed_at'),
    disclosedAt: instant('disclosed_at'),
    ackDueAt: instant('ack_due_at').notNull(),
    triageDueAt: instant('triage_due_at').notNull(),
    remediationDueOn: day('remediation_due_on'),
    disclosureOn: day('disclosure_on').notNull(),
    isOpen: boolean('is_open').notNull().default(true),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    index('reports_open_idx').on(t.status).where(sql`${t.isOpen}`),
    index('reports_reporter_idx').on(t.reporterPlatform, t.reporterId, t.receivedAt),
    index('reports_assignee_idx').on(t.assigneePlatform, t.assigneeId).where(sql`${t.isOpen}`),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reportId: text('report_id').notNull(),
    actorPlatform: text('actor_platform').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    before: jsonb('before').$type<Record<string, unknown>>().notNull(),
    after: jsonb('after').$type<Record<string, unknown>>().notNull(),
    at: instant('at').notNull(),
    /** Filled by the database: position in the hash chain, the previous row's hash, and this row's. */
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull().default(0),
    prevHash: text('prev_hash').notNull().default(''),
    hash: text('hash').notNull().default(''),
  },
  (t) => [
    index('audit_events_report_idx').on(t.reportId, t.id),
    index('audit_events_chain_idx').on(t.chainSeq),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    platform: text('platform').notNull(),
    destination: text('destination').notNull(),
    reportId: text('report_id'),
    /** Messages with the same key are delivered one at a time, oldest first. */
    orderingKey: text('ordering_key').notNull(),
    payload: jsonb('payload').notNull(),
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull(),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    claimedBy: text('claimed_by'),
    leaseUntil: instant('lease_until'),
    deliveredAt: instant('delivered_at'),
  },
  (t) => [
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index('outbox_ordering_idx').on(t.orderingKey, t.id).where(sql`${t.state} <> 'delivered'`),
  ],
);

export const cards = pgTable(
  'cards',
  {
    reportId: text('report_id').notNull(),
    platform: text('platform').notNull(),
    channelId: text('channel_id').notNull(),
    messageId: text('message_id').notNull(),
    threadId: text('thread_id'),
    /** The report version (its updated_at) the message shows; older renders are skipped. */
    renderedVersion: instant('rendered_version'),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.platform] })],
);

/** One row per destination and local day: whoever inserts it posts that day's digest. */
export const digestClaims = pgTable(
  'digest_claims',
  {
    destination: text('destination').notNull(),
    day: day('day').notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: instant('claimed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.destination, t.day] })],
);

/** One row per reminder sent, so each deadline is announced once. */
export const reminders = pgTable(
  'reminders',
  {
    reportId: text('report_id').notNull(),
    kind: text('kind').notNull(),
    sentAt: instant('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.kind] })],
);

/** Platform request IDs already handled, so a replayed request is processed once (kept for a day). */
export const seenRequests = pgTable(
  'seen_requests',
  {
    key: text('key').primaryKey(),
    seenAt: instant('seen_at').notNull(),
  },
  (t) => [index('seen_requests_at_idx').on(t.seenAt)],
);
