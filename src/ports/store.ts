import type { Actor, Platform, Report, Status } from '../domain/report.ts';
import type { OutboxPayload } from '../views/outbox-payload.ts';

export interface StoredReport extends Report {
  /** Platform key of the submission (Slack view ID, Discord interaction ID) that created it. */
  readonly submissionKey: string | null;
}

export interface ReportFilter {
  readonly statuses?: readonly Status[];
  readonly assignee?: Pick<Actor, 'platform' | 'userId'>;
  readonly reporter?: Pick<Actor, 'platform' | 'userId'>;
  readonly limit?: number;
}

export interface ReportRepository {
  nextNumber(): Promise<number>;
  insert(report: StoredReport): Promise<void>;
  findById(id: string, options?: { readonly forUpdate?: boolean }): Promise<StoredReport | null>;
  findBySubmissionKey(key: string): Promise<StoredReport | null>;
  /** The reports with these IDs that exist, in no particular order. */
  findByIds(ids: readonly string[]): Promise<StoredReport[]>;
  update(report: Report): Promise<void>;
  list(filter: ReportFilter): Promise<StoredReport[]>;
  countByReporterSince(reporter: Pick<Actor, 'platform' | 'userId'>, since: Date): Promise<number>;
}

export interface AuditEvent {
  readonly id: number;
  readonly reportId: string;
  readonly actor: Actor;
  readonly action: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
  readonly at: Date;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

export interface AuditRepository {
  append(event: NewAuditEvent): Promise<void>;
  /** Appends events in this order, in one statement. */
  appendMany(events: readonly NewAuditEvent[]): Promise<void>;
  listForReport(reportId: string): Promise<AuditEvent[]>;
}

export type OutboxState = 'pending' | 'delivered' | 'failed';

export interface OutboxMessage {
  readonly id: number;
  readonly platform: Platform;
  /** `triage` for the triage channel, `user:<id>` for a direct message. */
  readonly destination: string;
  readonly reportId: string | null;
  readonly payload: OutboxPayload;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly nextAttemptAt: Date;
}

export interface NewOutboxMessage {
  readonly platform: Platform;
  readonly destination: string;
  readonly reportId: string | null;
  readonly payload: OutboxPayload;
  readonly createdAt: Date;
}

export interface ClaimRequest {
  readonly workerId: string;
  readonly now: Date;
  readonly leaseMs: number;
  readonly limit: number;
  readonly platforms: readonly Platform[];
}

export interface OutboxStats {
  readonly pending: number;
  readonly failed: number;
  readonly oldestPendingAt: Date | null;
}

export interface OutboxRepository {
  enqueue(message: NewOutboxMessage): Promise<void>;
  /** Enqueues messages in this order, in one statement, exactly as `enqueue` would one by one. */
  enqueueMany(messages: readonly NewOutboxMessage[]): Promise<void>;
  /** Claims due messages, at most the oldest undelivered one per destination and report. */
  claimDue(request: ClaimRequest): Promise<OutboxMessage[]>;
  markDelivered(id: number, workerId: string, at: Date): Promise<void>;
  /**
   * The thread notes queued right after this claimed message in its order (same report and
   * destination), oldest first, up to the first message of another kind: they may go in the same post.
   */
  followingNotes(head: OutboxMessage, limit: number): Promise<OutboxMessage[]>;
  /** Marks these messages claimed by this worker delivered, in one statement. */
  markDeliveredMany(ids: readonly number[], workerId: string, at: Date): Promise<void>;
  /** Marks a claimed message delivered together with followers that went out in the same post. */
  markDeliveredWith(id: number, workerId: string, at: Date, followers: readonly number[]): Promise<void>;
  scheduleRetry(id: number, workerId: string, nextAttemptAt: Date, error: string): Promise<void>;
  park(id: number, workerId: string, error: string): Promise<void>;
  /** Gives a claimed message back untried, to go at a later time (pacing); not counted as an attempt. */
  defer(id: number, workerId: string, until: Date): Promise<void>;
  /** `defer` for several claimed messages in one statement. */
  deferMany(
    deferrals: readonly { readonly id: number; readonly until: Date }[],
    workerId: string,
  ): Promise<void>;
  release(workerId: string): Promise<void>;
  /**
   * Makes these deferred messages (and what waits behind them in their order) due at `at` unless
   * someone claimed them meanwhile: a stopping worker gives back the later slots it booked.
   */
  bringForward(ids: readonly number[], at: Date): Promise<void>;
  requeueFailed(at: Date, id?: number): Promise<number>;
  listFailed(limit: number): Promise<OutboxMessage[]>;
  /** Drops the text of messages delivered before the cutoff, keeping only their type and metadata. */
  purgeDelivered(before: Date): Promise<number>;
  stats(): Promise<OutboxStats>;
}

/** Where a report's triage card lives on one platform, so it can be edited and threaded. */
export interface CardRef {
  readonly reportId: string;
  readonly platform: Platform;
  readonly channelId: string;
  readonly messageId: string;
  readonly threadId: string | null;
  /** The report version (its updatedAt) the card shows; absent until first rendered. */
  readonly renderedVersion?: Date | null;
}

export interface CardRepository {
  find(reportId: string, platform: Platform): Promise<CardRef | null>;
  /** The cards of these reports, on every platform. */
  findForReports(reportIds: readonly string[]): Promise<CardRef[]>;
  save(card: CardRef): Promise<void>;
  /** Records the report version each of these cards now shows (cards already saved). */
  saveRenderedMany(cards: readonly CardRef[]): Promise<void>;
}

/** Exactly-once claims for scheduled announcements, shared by every replica. */
export interface ScheduleRepository {
  /** True for the one caller that claims this destination's digest for that local day. */
  claimDigest(destination: string, day: string, claimedBy: string, at: Date): Promise<boolean>;
  /** True for the one caller that claims this reminder. */
  claimReminder(reportId: string, kind: string, at: Date): Promise<boolean>;
}

/** Remembers platform request IDs across replicas, so a replayed request is handled once. */
export interface ReplayRepository {
  /** True the first time a key is seen; false for every replay. */
  firstSeen(key: string, at: Date): Promise<boolean>;
  forgetBefore(cutoff: Date): Promise<number>;
}

/** One submission as intake checks it before filing. */
export interface IntakeCheck {
  readonly submissionKey: string | null;
  readonly reporter: Pick<Actor, 'platform' | 'userId'>;
  /** Reports the reporter may file per hour; 0 for no limit. */
  readonly perHour: number;
  /** The start of the hour the limit counts (received at or after it). */
  readonly since: Date;
}

export interface IntakeReservation {
  /** The ID of the report already filed with this submission key, if any. */
  readonly existingId: string | null;
  /** The reporter's reports received since `since` (0 when there is no limit). */
  readonly recent: number;
  /** A fresh report number when the key is not filed yet and the reporter is under the limit. */
  readonly number: number | null;
}

/** A new report with everything written with it. */
export interface NewReportRecord {
  readonly report: StoredReport;
  readonly messages: readonly NewOutboxMessage[];
  readonly event: NewAuditEvent;
}

/** Intake's batched writes: a burst of submissions costs two statements, not a dozen per report. */
export interface IntakeRepository {
  /**
   * For each submission, in order: the report already filed with its key, the reporter's recent
   * count, and a report number reserved for it when it may be filed (numbers are never given back).
   */
  reserve(checks: readonly IntakeCheck[]): Promise<IntakeReservation[]>;
  /**
   * Inserts the reports with their outbox messages and audit events in one statement, all or
   * nothing. A report whose submission key is already stored (filed concurrently) is skipped with
   * its messages and event. Returns the IDs inserted.
   */
  file(records: readonly NewReportRecord[]): Promise<string[]>;
}

export interface Repositories {
  readonly reports: ReportRepository;
  readonly intake: IntakeRepository;
  readonly audit: AuditRepository;
  readonly outbox: OutboxRepository;
  readonly cards: CardRepository;
  readonly schedule: ScheduleRepository;
  readonly replays: ReplayRepository;
}

export interface Store extends Repositories {
  /** Runs the work in one transaction; it commits when the work returns and rolls back when it throws. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
