import type { Actor } from '../domain/report.ts';
import { ok, type Result } from '../domain/result.ts';
import type { CoreDeps } from './context.ts';
import { requireTriager } from './mutate-report.ts';

export interface DeliveryHealth {
  readonly database: boolean;
  readonly pending: number;
  readonly failed: number;
  readonly oldestPendingAt: Date | null;
  readonly failures: readonly {
    readonly id: number;
    readonly platform: string;
    readonly type: string;
    readonly reportId: string | null;
    readonly error: string;
  }[];
}

const FAILURES_SHOWN = 20;

export const deliveryHealth = async (deps: CoreDeps): Promise<DeliveryHealth> => {
  const database = await deps.store.ping();
  if (!database) return { database, pending: 0, failed: 0, oldestPendingAt: null, failures: [] };
  const stats = await deps.store.outbox.stats();
  const failed = await deps.store.outbox.listFailed(FAILURES_SHOWN);
  return {
    database,
    ...stats,
    failures: failed.map((m) => ({
      id: m.id,
      platform: m.platform,
      type: m.payload.type,
      reportId: m.reportId,
      error: m.lastError ?? 'unknown',
    })),
  };
};

export const healthLines = (health: DeliveryHealth, now: Date): string[] => {
  const lines = [
    `Database: ${health.database ? 'reachable' : 'UNREACHABLE'}`,
    `Outbox: ${health.pending} waiting${health.oldestPendingAt ? ` (oldest ${Math.round((now.getTime() - health.oldestPendingAt.getTime()) / 1000)} s)` : ''}, ${health.failed} undeliverable`,
  ];
  for (const f of health.failures) {
    lines.push(`#${f.id} ${f.platform} ${f.type}${f.reportId ? ` for ${f.reportId}` : ''}: ${f.error}`);
  }
  if (health.failed > 0)
    lines.push('Fix the cause (channel, token, scopes), then `/vuln retry all` or `/vuln retry <ID>`.');
  return lines;
};

/** Puts parked messages back in the queue: all of them, or one by its outbox ID. */
export const retryFailed = async (
  deps: CoreDeps,
  actor: Actor,
  target: number | 'all',
): Promise<Result<string>> => {
  const allowed = await requireTriager(deps, actor);
  if (!allowed.ok) return allowed;
  const count = await deps.store.outbox.requeueFailed(deps.now(), target === 'all' ? undefined : target);
  deps.logger.info(
    { actor: `${actor.platform}:${actor.userId}`, target, count },
    'undeliverable messages re-queued',
  );
  return ok(count === 0 ? 'Nothing to re-queue.' : `Re-queued ${count} message${count === 1 ? '' : 's'}.`);
};
