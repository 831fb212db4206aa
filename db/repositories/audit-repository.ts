import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../src/domain/report.ts';
import type { AuditRepository, NewAuditEvent } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { auditEvents } from '../schema.ts';
import { instantText, jsonRows, runPrepared } from './json-rows.ts';

/** The columns an appended event is given (the chain trigger fills the rest). */
export const AUDIT_EVENT_COLUMNS =
  'report_id, actor_platform, actor_id, actor_name, action, before, after, at';

/** An event as one JSON object keyed by column name (see AUDIT_EVENT_COLUMNS). */
export const auditEventRow = (event: NewAuditEvent): Record<string, unknown> => ({
  report_id: event.reportId,
  actor_platform: event.actor.platform,
  actor_id: event.actor.userId,
  actor_name: event.actor.displayName,
  action: event.action,
  before: event.before,
  after: event.after,
  at: instantText(event.at),
});

/** The chain trigger links each row to the one inserted before it, so rows go in in array order. */
const APPEND_EVENTS = `
  insert into audit_events (${AUDIT_EVENT_COLUMNS})
  select ${AUDIT_EVENT_COLUMNS}
  from jsonb_populate_recordset(null::audit_events, $1::text::jsonb) with ordinality as e
  order by e.ordinality`;

/** Appends events in one statement, in order. */
const appendAll = async (db: Database, events: readonly NewAuditEvent[]): Promise<void> => {
  if (events.length === 0) return;
  await runPrepared(db, 'vulndesk_append_audit_events', APPEND_EVENTS, [jsonRows(events.map(auditEventRow))]);
};

export const createAuditRepository = ({ db }: { db: Database }): AuditRepository => ({
  async append(event) {
    await appendAll(db, [event]);
  },

  async appendMany(events) {
    await appendAll(db, events);
  },

  async listForReport(reportId) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.reportId, reportId))
      .orderBy(asc(auditEvents.id));
    return rows.map((row) => ({
      id: row.id,
      reportId: row.reportId,
      actor: { platform: row.actorPlatform, userId: row.actorId, displayName: row.actorName } as Actor,
      action: row.action,
      before: row.before,
      after: row.after,
      at: row.at,
    }));
  },
});
