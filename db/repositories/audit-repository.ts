import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../src/domain/report.ts';
import type { AuditRepository } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { auditEvents } from '../schema.ts';

export const createAuditRepository = ({ db }: { db: Database }): AuditRepository => ({
  async append(event) {
    await db.insert(auditEvents).values({
      reportId: event.reportId,
      actorPlatform: event.actor.platform,
      actorId: event.actor.userId,
      actorName: event.actor.displayName,
      action: event.action,
      before: event.before,
      after: event.after,
      at: event.at,
    });
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
