import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import type { Store } from '../../src/ports/store.ts';
import { setSeverity } from '../../src/use-cases/triage-actions.ts';
import { alice, bob, coreDeps } from '../support/core.ts';
import { postgresTestStore, type TestStore } from '../support/databases.ts';
import { pgliteFromTemplate } from '../support/pglite-template.ts';
import { fileReport } from '../support/use-case-harness.ts';

/** Makes every audit append by bob fail inside the database, after the report and outbox writes ran. */
const FAIL_BOBS_AUDIT = `
  create function refuse_bob() returns trigger language plpgsql as $$
  begin
    if new.actor_name = 'bob' then raise exception 'audit refused for this test'; end if;
    return new;
  end $$;
  create trigger zz_refuse_bob before insert on audit_events for each row execute function refuse_bob();`;

interface Engine {
  readonly name: string;
  open(): Promise<{ store: Store; exec: (sql: string) => Promise<unknown>; close: () => Promise<void> }>;
}

const engines: Engine[] = [
  {
    name: 'PostgreSQL',
    async open() {
      const pg: TestStore = await postgresTestStore();
      const raw = postgres(pg.url ?? '', { max: 1, onnotice: () => {} });
      return {
        store: pg.store,
        exec: (sql) => raw.unsafe(sql),
        close: async () => {
          await raw.end();
          await pg.close();
        },
      };
    },
  },
  {
    name: 'PGlite',
    async open() {
      const pglite = await pgliteFromTemplate();
      const store = createStore(await openDatabase({ pglite }));
      return { store, exec: (sql) => pglite.exec(sql), close: () => pglite.close() };
    },
  },
];

describe.each(engines)('a triage change on $name', (engine) => {
  let db: Awaited<ReturnType<Engine['open']>>;
  beforeAll(async () => {
    db = await engine.open();
    await db.exec(FAIL_BOBS_AUDIT);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('whose audit append fails stores nothing and fails, though its other writes were already sent', async () => {
    const core = coreDeps(db.store, { now: () => new Date() });
    const report = await fileReport(core);
    const outboxBefore = (await db.store.outbox.stats()).pending;

    await expect(setSeverity(core, bob, report.id, 'high')).rejects.toBeInstanceOf(Error);

    expect((await db.store.reports.findById(report.id))?.severity).toBeNull();
    expect((await db.store.outbox.stats()).pending).toBe(outboxBefore);
    expect((await db.store.audit.listForReport(report.id)).map((e) => e.actor.displayName)).not.toContain(
      'bob',
    );
  });

  it('whose writes succeed stores the report, its outbox messages and its audit event together', async () => {
    const core = coreDeps(db.store, { now: () => new Date() });
    const report = await fileReport(core);
    const changed = await setSeverity(core, alice, report.id, 'high');
    expect(changed.ok).toBe(true);
    expect((await db.store.reports.findById(report.id))?.severity).toBe('high');
    const audit = await db.store.audit.listForReport(report.id);
    expect(audit.at(-1)?.actor.displayName).toBe('alice');
  });

  describe('with a request key (a click, recorded with its change)', () => {
    const actions = async (id: string) => (await db.store.audit.listForReport(id)).map((e) => e.action);

    it('is carried out once: the same key again changes nothing and says it was a replay', async () => {
      const core = coreDeps(db.store, { now: () => new Date() });
      const report = await fileReport(core);
      const first = await setSeverity(core, alice, report.id, 'high', { requestKey: `k1-${report.id}` });
      const again = await setSeverity(core, alice, report.id, 'low', { requestKey: `k1-${report.id}` });
      expect(first.ok && first.value.replayed).toBeFalsy();
      expect(again.ok && again.value.replayed).toBe(true);
      expect((await db.store.reports.findById(report.id))?.severity).toBe('high');
      expect(await actions(report.id)).toEqual(['report.submitted', 'report.severity_set']);
    });

    it('keeps no key for a refused request, so the same request can go through once it is valid', async () => {
      const core = coreDeps(db.store, { now: () => new Date() });
      const report = await fileReport(core);
      const key = `k2-${report.id}`;
      const refused = await setSeverity(core, alice, report.id, 'enormous', { requestKey: key });
      expect(refused.ok ? 'ok' : refused.error.code).toBe('severity.invalid');
      const missing = await setSeverity(core, alice, 'VULN-9999', 'high', { requestKey: key });
      expect(missing.ok ? 'ok' : missing.error.code).toBe('report.not_found');
      const accepted = await setSeverity(core, alice, report.id, 'high', { requestKey: key });
      expect(accepted.ok && !accepted.value.replayed).toBe(true);
      expect((await db.store.reports.findById(report.id))?.severity).toBe('high');
    });

    it('keeps no key when the change fails to store, so a retry can store it', async () => {
      const core = coreDeps(db.store, { now: () => new Date() });
      const report = await fileReport(core);
      const key = `k3-${report.id}`;
      await expect(setSeverity(core, bob, report.id, 'high', { requestKey: key })).rejects.toBeInstanceOf(
        Error,
      );
      const retried = await setSeverity(core, alice, report.id, 'high', { requestKey: key });
      expect(retried.ok && !retried.value.replayed).toBe(true);
    });
  });
});
