import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Status } from '../../src/domain/report.ts';
import type { Store } from '../../src/ports/store.ts';
import { STORE_KINDS, type TestStore } from '../support/databases.ts';
import { withFastReset } from '../support/fast-reset.ts';
import { drainOutbox } from '../support/outbox-drain.ts';
import { fullyPopulatedReport, storedReport } from '../support/report-fixtures.ts';

const rita: Actor = { platform: 'discord', userId: '123456', displayName: 'rita' };
const ritaOnSlack: Actor = { platform: 'slack', userId: '123456', displayName: 'rita (slack)' };
const sam: Actor = { platform: 'discord', userId: '777', displayName: 'sam' };
const alice: Actor = { platform: 'slack', userId: 'UALICE', displayName: 'alice' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(STORE_KINDS)('report repository on %s', (_kind, openStore) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = withFastReset(await openStore());
    store = testStore.store;
  });
  beforeEach(async () => {
    await testStore.reset();
  });
  afterAll(async () => {
    await testStore?.close();
  });

  const insertAll = async (...reports: ReturnType<typeof storedReport>[]) => {
    for (const report of reports) await store.reports.insert(report);
  };

  describe('insert and find', () => {
    it('round-trips a report with every field set: instants, calendar dates, numbers and both actors', async () => {
      const report = fullyPopulatedReport(7);
      await store.reports.insert(report);

      const found = await store.reports.findById('VULN-0007');

      expect(found).toEqual(report);
      expect(found?.receivedAt).toBeInstanceOf(Date);
      expect(found?.remediationDueOn).toBe('2028-02-29');
    });

    it('round-trips a fresh report whose optional fields are all null', async () => {
      const report = storedReport(1);
      await store.reports.insert(report);

      expect(await store.reports.findById('VULN-0001')).toEqual(report);
    });

    it('finds nothing for an unknown ID, or for an ID in another case (IDs are normalised before lookup)', async () => {
      await store.reports.insert(storedReport(1));

      expect(await store.reports.findById('VULN-0002')).toBeNull();
      expect(await store.reports.findById('vuln-0001')).toBeNull();
    });

    it('refuses a second report with the same number', async () => {
      await store.reports.insert(storedReport(1));

      await expect(store.reports.insert({ ...storedReport(1), id: 'VULN-9999' })).rejects.toThrow();
    });
  });

  describe('update', () => {
    it('writes every mutable field, including clearing values back to null', async () => {
      const full = fullyPopulatedReport(3);
      await store.reports.insert(full);
      const { submissionKey: _key, ...fullReport } = full;
      const cleared = {
        ...storedReport(3, { reporter: full.reporter, receivedAt: full.receivedAt }),
        policyAcceptedAt: full.policyAcceptedAt,
        status: 'triaged' as Status,
        updatedAt: new Date('2026-12-24T18:00:00.000Z'),
      };
      const { submissionKey: _clearedKey, ...clearedReport } = cleared;

      await store.reports.update(clearedReport);
      expect(await store.reports.findById('VULN-0003')).toEqual({
        ...clearedReport,
        submissionKey: 'view-3',
      });

      await store.reports.update(fullReport);
      expect(await store.reports.findById('VULN-0003')).toEqual(full);
    });

    it('leaves the number, reporter, receipt, policy acceptance and submission key as first stored', async () => {
      const original = storedReport(4, { submissionKey: 'view-4' });
      await store.reports.insert(original);

      await store.reports.update({
        ...original,
        number: 99,
        reporter: sam,
        receivedAt: new Date('2030-01-01T00:00:00Z'),
        policyAcceptedAt: new Date('2030-01-01T00:00:00Z'),
        title: 'Renamed',
      });

      expect(await store.reports.findById('VULN-0004')).toEqual({ ...original, title: 'Renamed' });
    });

    it('changes nothing when the report does not exist', async () => {
      await store.reports.update(storedReport(5));

      expect(await store.reports.findById('VULN-0005')).toBeNull();
    });
  });

  describe('nextNumber', () => {
    it('hands out consecutive numbers starting at 1', async () => {
      const numbers = [];
      for (let i = 0; i < 5; i++) numbers.push(await store.reports.nextNumber());

      expect(numbers).toEqual([1, 2, 3, 4, 5]);
    });

    it('never hands out the same number twice to concurrent callers', async () => {
      const numbers = await Promise.all(Array.from({ length: 25 }, () => store.reports.nextNumber()));

      expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    });

    it('does not reuse a number taken by a transaction that rolled back', async () => {
      await expect(
        store.transaction(async (repos) => {
          await repos.reports.nextNumber();
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');

      expect(await store.reports.nextNumber()).toBe(2);
    });
  });

  describe('findBySubmissionKey', () => {
    it('finds the report filed by a submission, and nothing for an unknown key', async () => {
      await insertAll(
        storedReport(1, { submissionKey: 'view-a' }),
        storedReport(2, { submissionKey: 'view-b' }),
      );

      expect((await store.reports.findBySubmissionKey('view-b'))?.id).toBe('VULN-0002');
      expect(await store.reports.findBySubmissionKey('view-c')).toBeNull();
    });

    it('refuses a second report with the same submission key but allows many without one', async () => {
      await insertAll(storedReport(1, { submissionKey: 'view-a' }), storedReport(2), storedReport(3));

      await expect(store.reports.insert(storedReport(4, { submissionKey: 'view-a' }))).rejects.toThrow();
      expect(await store.reports.list({})).toHaveLength(3);
    });
  });

  describe('list', () => {
    const ids = (reports: { id: string }[]) => reports.map((r) => r.id);

    it('without a filter lists every report, lowest number first', async () => {
      await insertAll(storedReport(3), storedReport(1), storedReport(2, { status: 'spam' }));

      expect(ids(await store.reports.list({}))).toEqual(['VULN-0001', 'VULN-0002', 'VULN-0003']);
    });

    it('filters by status: open statuses exclude closed and disclosed reports', async () => {
      const statuses: Status[] = ['new', 'acknowledged', 'duplicate', 'disclosed', 'fixed', 'out_of_scope'];
      await insertAll(...statuses.map((status, i) => storedReport(i + 1, { status })));

      expect(ids(await store.reports.list({ statuses: ['new', 'acknowledged', 'fixed'] }))).toEqual([
        'VULN-0001',
        'VULN-0002',
        'VULN-0005',
      ]);
      expect(ids(await store.reports.list({ statuses: ['duplicate', 'out_of_scope'] }))).toEqual([
        'VULN-0003',
        'VULN-0006',
      ]);
      expect(ids(await store.reports.list({ statuses: ['disclosed'] }))).toEqual(['VULN-0004']);
      expect(await store.reports.list({ statuses: [] })).toEqual([]);
    });

    it('keeps the open-status filter right after a report is closed and reopened by update', async () => {
      const report = storedReport(1, { status: 'triaged' });
      await store.reports.insert(report);
      const { submissionKey: _key, ...current } = report;

      await store.reports.update({ ...current, status: 'duplicate' });
      expect(await store.reports.list({ statuses: ['triaged', 'new'] })).toEqual([]);

      await store.reports.update({ ...current, status: 'triaged' });
      expect(ids(await store.reports.list({ statuses: ['triaged'] }))).toEqual(['VULN-0001']);
    });

    it('filters by assignee on the same platform only', async () => {
      await insertAll(
        storedReport(1, { assignee: alice }),
        storedReport(2, { assignee: { ...alice, platform: 'discord' } }),
        storedReport(3),
        storedReport(4, { assignee: alice, status: 'triaged' }),
      );

      expect(ids(await store.reports.list({ assignee: alice }))).toEqual(['VULN-0001', 'VULN-0004']);
      expect(ids(await store.reports.list({ assignee: alice, statuses: ['triaged'] }))).toEqual([
        'VULN-0004',
      ]);
    });

    it('filters by reporter on the same platform only, newest first', async () => {
      await insertAll(
        storedReport(1, { reporter: rita }),
        storedReport(2, { reporter: ritaOnSlack }),
        storedReport(3, { reporter: sam }),
        storedReport(4, { reporter: rita }),
      );

      expect(ids(await store.reports.list({ reporter: rita }))).toEqual(['VULN-0004', 'VULN-0001']);
      expect(ids(await store.reports.list({ reporter: ritaOnSlack }))).toEqual(['VULN-0002']);
      expect(await store.reports.list({ reporter: { platform: 'console', userId: 'nobody' } })).toEqual([]);
    });

    it('returns at most `limit` reports, taken from the start of the order', async () => {
      await insertAll(...[1, 2, 3, 4, 5].map((n) => storedReport(n)));

      expect(ids(await store.reports.list({ limit: 2 }))).toEqual(['VULN-0001', 'VULN-0002']);
      expect(ids(await store.reports.list({ reporter: rita, limit: 2 }))).toEqual(['VULN-0005', 'VULN-0004']);
    });

    it('returns stored reports with their submission keys', async () => {
      await store.reports.insert(fullyPopulatedReport(1));

      expect(await store.reports.list({})).toEqual([fullyPopulatedReport(1)]);
    });
  });

  describe('countByReporterSince', () => {
    it('counts the reporter’s reports received at or after the instant, on their platform only', async () => {
      const at = (iso: string) => new Date(iso);
      await insertAll(
        storedReport(1, { reporter: rita, receivedAt: at('2026-11-26T07:59:59.999Z') }),
        storedReport(2, { reporter: rita, receivedAt: at('2026-11-26T08:00:00.000Z') }),
        storedReport(3, { reporter: rita, receivedAt: at('2026-11-26T08:30:00.000Z') }),
        storedReport(4, { reporter: ritaOnSlack, receivedAt: at('2026-11-26T08:30:00.000Z') }),
        storedReport(5, { reporter: sam, receivedAt: at('2026-11-26T08:30:00.000Z') }),
      );
      const since = at('2026-11-26T08:00:00.000Z');

      expect(await store.reports.countByReporterSince(rita, since)).toBe(2);
      expect(await store.reports.countByReporterSince(ritaOnSlack, since)).toBe(1);
      expect(await store.reports.countByReporterSince({ platform: 'console', userId: 'x' }, since)).toBe(0);
    });
  });

  describe('transactions', () => {
    it('commits the work and returns its value', async () => {
      const value = await store.transaction(async (repos) => {
        await repos.reports.insert(storedReport(1));
        return 'done';
      });

      expect(value).toBe('done');
      expect(await store.reports.findById('VULN-0001')).not.toBeNull();
    });

    it('reads its own writes before committing', async () => {
      await store.transaction(async (repos) => {
        await repos.reports.insert(storedReport(1, { submissionKey: 'k' }));
        expect((await repos.reports.findBySubmissionKey('k'))?.id).toBe('VULN-0001');
        expect(await repos.reports.findById('VULN-0001', { forUpdate: true })).not.toBeNull();
      });
    });

    it('leaves no report, audit event or outbox message behind when the work throws', async () => {
      await expect(
        store.transaction(async (repos) => {
          await repos.reports.insert(storedReport(1, { submissionKey: 'k' }));
          await repos.audit.append({
            reportId: 'VULN-0001',
            actor: rita,
            action: 'report.submitted',
            before: {},
            after: { status: 'new' },
            at: new Date('2026-11-26T09:00:00Z'),
          });
          await repos.outbox.enqueue({
            platform: 'slack',
            destination: 'triage',
            reportId: 'VULN-0001',
            payload: { type: 'triage_card' },
            createdAt: new Date('2026-11-26T09:00:00Z'),
          });
          await repos.cards.save({
            reportId: 'VULN-0001',
            platform: 'slack',
            channelId: 'C1',
            messageId: '1.0',
            threadId: null,
          });
          throw new Error('chat platform exploded');
        }),
      ).rejects.toThrow('chat platform exploded');

      expect(await store.reports.findById('VULN-0001')).toBeNull();
      expect(await store.reports.findBySubmissionKey('k')).toBeNull();
      expect(await store.audit.listForReport('VULN-0001')).toEqual([]);
      expect(await store.outbox.stats()).toEqual({ pending: 0, failed: 0, oldestPendingAt: null });
      expect(await drainOutbox(store)).toEqual([]);
      expect(await store.cards.find('VULN-0001', 'slack')).toBeNull();
    });

    it('rolls back an update as well as an insert', async () => {
      const report = storedReport(1);
      await store.reports.insert(report);

      await expect(
        store.transaction(async (repos) => {
          await repos.reports.update({ ...report, status: 'acknowledged' });
          throw new Error('nope');
        }),
      ).rejects.toThrow('nope');

      expect((await store.reports.findById('VULN-0001'))?.status).toBe('new');
    });

    it('forUpdate serialises concurrent read-modify-write transactions so no change is lost', async () => {
      await store.reports.insert(storedReport(1, { title: 'start' }));
      const appendToTitle = (suffix: string) =>
        store.transaction(async (repos) => {
          const current = await repos.reports.findById('VULN-0001', { forUpdate: true });
          if (!current) throw new Error('missing');
          await sleep(30);
          const { submissionKey: _key, ...report } = current;
          await repos.reports.update({ ...report, title: `${report.title}+${suffix}` });
        });

      await Promise.all([appendToTitle('a'), appendToTitle('b'), appendToTitle('c')]);

      const title = (await store.reports.findById('VULN-0001'))?.title ?? '';
      expect(title.split('+').sort()).toEqual(['a', 'b', 'c', 'start']);
    });
  });

  it('answers a ping', async () => {
    expect(await store.ping()).toBe(true);
  });
});
