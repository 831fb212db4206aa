import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/report.ts';
import type { Store } from '../../../src/ports/store.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { reporterAnswer } from '../../../src/use-cases/conversation.ts';
import { reporterReports } from '../../../src/use-cases/queries.ts';
import { submitReport } from '../../../src/use-cases/submit-report.ts';
import { acknowledge, setStatus } from '../../../src/use-cases/triage-actions.ts';
import { alice, coreDeps, reporter, testClock, validSubmission } from '../../support/core.ts';
import type { TestStore } from '../../support/databases.ts';
import { drainOutbox, summarize } from '../../support/outbox-drain.ts';
import { errorCode, expectNothingWritten, fileReport, observe } from '../../support/use-case-harness.ts';
import type { OpenedStore } from './opened-store.ts';

const RECEIVED = '2026-11-26T09:00:00.000Z';
const sam: Actor = { platform: 'discord', userId: '777', displayName: 'sam' };
const ritaOnSlack: Actor = { platform: 'slack', userId: reporter.userId, displayName: 'rita on slack' };

export const reportingSpecs = (db: OpenedStore): void => {
  describe('reporting a vulnerability', () => {
    let testStore: TestStore;
    let store: Store;
    let clock: ReturnType<typeof testClock>;
    let deps: CoreDeps;

    beforeEach(async () => {
      ({ testStore, store } = db);
      await testStore.reset();
      clock = testClock(RECEIVED);
      deps = coreDeps(store, { now: clock.now });
    });

    const submit = (by: Actor, key: string | null, overrides = {}) =>
      submitReport(deps, { reporter: by, submission: validSubmission(overrides), submissionKey: key });

    describe('submitReport', () => {
      it('files a new report with its clocks, audits it and queues the triage card and the reporter’s receipt', async () => {
        const observed = await observe(store, 'VULN-0001', () => submit(reporter, 'view-1'));

        expect(observed.result.ok).toBe(true);
        expect(observed.after).toMatchObject({
          id: 'VULN-0001',
          number: 1,
          submissionKey: 'view-1',
          title: 'SQL injection in /api/search',
          reporter,
          status: 'new',
          severity: null,
          severityGuess: 'high',
          receivedAt: new Date(RECEIVED),
          policyAcceptedAt: new Date(RECEIVED),
          ackDueAt: new Date('2026-11-30T09:00:00.000Z'),
          triageDueAt: new Date('2026-12-03T09:00:00.000Z'),
          disclosureOn: '2027-02-24',
        });
        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: reporter,
            action: 'report.submitted',
            before: {},
            after: { status: 'new', asset: 'api.example.com', disclosureOn: '2027-02-24' },
            at: new Date(RECEIVED),
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual([
          'slack triage triage_card',
          'discord user:123456 reporter_notice',
        ]);
        const receipt = observed.outbox[1]?.payload;
        expect(receipt?.type === 'reporter_notice' && receipt.notice).toMatchObject({
          kind: 'received',
          reportId: 'VULN-0001',
        });
      });

      it('numbers reports one after another', async () => {
        const ids = [];
        for (const key of ['a', 'b', 'c']) {
          const filed = await submit(reporter, key);
          ids.push(filed.ok ? filed.value.report.id : filed.error.code);
        }

        expect(ids).toEqual(['VULN-0001', 'VULN-0002', 'VULN-0003']);
      });

      it.each([
        ['an empty title', { title: '  ' }, 'title'],
        ['an asset that is not offered', { asset: 'intranet.example.com' }, 'asset'],
        ['a missing description', { description: '' }, 'description'],
        ['an impact over the limit', { impact: 'x'.repeat(3001) }, 'impact'],
        [
          'a severity guess that is neither a level nor a vector',
          { severityGuess: 'apocalyptic' },
          'severityGuess',
        ],
        ['an invalid CVSS vector as the guess', { severityGuess: 'CVSS:3.1/AV:X' }, 'severityGuess'],
        ['the policy not accepted', { policyAccepted: false }, 'policyAccepted'],
      ])(
        'refuses %s, naming the field, and stores nothing, not even a number',
        async (_case, overrides, field) => {
          const observed = await observe(store, 'VULN-0001', () => submit(reporter, 'view-1', overrides));

          expect(errorCode(observed.result)).toBe('report.invalid_input');
          expect(observed.result.ok === false && observed.result.error.errors?.map((e) => e.field)).toEqual([
            field,
          ]);
          expectNothingWritten(observed);
          expect(await store.reports.findBySubmissionKey('view-1')).toBeNull();
          const next = await submit(reporter, 'view-2');
          expect(next.ok && next.value.report.id).toBe('VULN-0001');
        },
      );

      it('reports every invalid field at once', async () => {
        const result = await submit(reporter, null, { title: '', description: '', policyAccepted: false });

        expect(result.ok === false && result.error.errors?.map((e) => e.field)).toEqual([
          'title',
          'description',
          'policyAccepted',
        ]);
      });

      it('stores pasted text without NUL characters or lone surrogates instead of failing', async () => {
        const filed = await submit(reporter, 'view-1', {
          title: 'Crash on \u0000 byte',
          description: 'payload: \u0000\u0000 then \uDE00',
        });

        expect(filed.ok).toBe(true);
        expect(await store.reports.findById('VULN-0001')).toMatchObject({
          title: 'Crash on  byte',
          description: 'payload:  then \uFFFD',
        });
      });

      it('files one report when the same submission arrives twice', async () => {
        const first = await submit(reporter, 'view-1');
        const observed = await observe(store, 'VULN-0001', () =>
          submit(reporter, 'view-1', { title: 'A retried submission' }),
        );

        expect(first).toMatchObject({ ok: true, value: { created: true } });
        expect(observed.result).toMatchObject({
          ok: true,
          value: { created: false, report: { id: 'VULN-0001', title: 'SQL injection in /api/search' } },
        });
        expect(observed.result.ok && observed.result.value.confirmation).toEqual(
          first.ok && first.value.confirmation,
        );
        expectNothingWritten(observed);
        expect(await store.reports.list({})).toHaveLength(1);
      });

      it('files separate reports for different submissions and for submissions without a key', async () => {
        await submit(reporter, 'view-1');
        await submit(reporter, 'view-2');
        await submit(reporter, null);
        await submit(reporter, null);

        expect(await store.reports.list({})).toHaveLength(4);
      });

      describe('with a limit of 2 reports per reporter per hour', () => {
        beforeEach(() => {
          deps = { ...deps, reportsPerHour: 2 };
        });

        it('refuses a third report within the hour and stores nothing', async () => {
          await submit(reporter, 'a');
          clock.set('2026-11-26T09:30:00.000Z');
          await submit(reporter, 'b');
          clock.set('2026-11-26T09:59:59.999Z');

          const observed = await observe(store, 'VULN-0003', () => submit(reporter, 'c'));

          expect(errorCode(observed.result)).toBe('report.rate_limited');
          expectNothingWritten(observed);
          expect(await store.reports.list({})).toHaveLength(2);
        });

        it('accepts the reporter again once the earliest report is an hour old', async () => {
          await submit(reporter, 'a');
          await submit(reporter, 'b');
          clock.set('2026-11-26T10:00:00.001Z');

          expect((await submit(reporter, 'c')).ok).toBe(true);
        });

        it('counts each reporter separately, including the same user ID on another platform', async () => {
          await submit(reporter, 'a');
          await submit(reporter, 'b');

          expect((await submit(sam, 'c')).ok).toBe(true);
          expect((await submit(ritaOnSlack, 'd')).ok).toBe(true);
          expect(errorCode(await submit(reporter, 'e'))).toBe('report.rate_limited');
        });

        it('still answers a retried submission that was stored before the limit was reached', async () => {
          await submit(reporter, 'a');
          await submit(reporter, 'b');

          expect(await submit(reporter, 'a')).toMatchObject({ ok: true, value: { created: false } });
        });
      });

      it('has no limit when reportsPerHour is 0', async () => {
        for (let i = 0; i < 6; i++) expect((await submit(reporter, `k${i}`)).ok).toBe(true);
      });
    });

    describe('reporterReports', () => {
      it('lists only the reporter’s own reports, newest first, whatever others filed', async () => {
        await fileReport(deps, { by: reporter, submission: { title: 'Mine one' } });
        await fileReport(deps, { by: sam, submission: { title: 'Sam’s secret' } });
        await fileReport(deps, { by: ritaOnSlack, submission: { title: 'Slack Rita' } });
        await fileReport(deps, { by: reporter, submission: { title: 'Mine two' } });

        const lines = await reporterReports(deps, reporter);

        expect(lines.map((l) => l.reportId)).toEqual(['VULN-0004', 'VULN-0001']);
        expect(lines[0]?.text).toBe(
          'VULN-0004 · New · received 2026-11-26 · disclosure 2027-02-24 · Mine two',
        );
        expect(lines.map((l) => l.text).join('\n')).not.toMatch(/Sam|Slack Rita/);
      });

      it('is empty for someone who never reported', async () => {
        await fileReport(deps);

        expect(await reporterReports(deps, sam)).toEqual([]);
      });
    });

    describe('reporterAnswer', () => {
      beforeEach(async () => {
        await fileReport(deps);
        await drainOutbox(store);
      });

      it('puts an answer to a report that is not waiting for one in the thread, leaving its status', async () => {
        const observed = await observe(store, 'VULN-0001', () =>
          reporterAnswer(deps, reporter, 'VULN-0001', 'More detail'),
        );

        expect(observed.result.ok).toBe(true);
        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: reporter,
            action: 'report.reporter_answered',
            before: {},
            after: { message: 'More detail' },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(['slack triage thread_note']);
        expect(observed.after).toEqual(observed.before);
      });

      it('answers someone else’s report exactly as it answers a report that does not exist', async () => {
        const othersReport = await observe(store, 'VULN-0001', () =>
          reporterAnswer(deps, sam, 'VULN-0001', 'hi'),
        );
        const missing = await observe(store, 'VULN-0002', () => reporterAnswer(deps, sam, 'VULN-0002', 'hi'));
        const sameIdOtherPlatform = await observe(store, 'VULN-0001', () =>
          reporterAnswer(deps, ritaOnSlack, 'VULN-0001', 'hi'),
        );

        expect(errorCode(othersReport.result)).toBe('report.not_found');
        expect(errorCode(sameIdOtherPlatform.result)).toBe('report.not_found');
        const shape = (r: typeof missing.result) =>
          r.ok ? r : { ...r.error, message: r.error.message.replace(/VULN-000\d/, '<ID>') };
        expect(shape(othersReport.result)).toEqual(shape(missing.result));
        for (const observed of [othersReport, missing, sameIdOtherPlatform]) expectNothingWritten(observed);
      });

      it('refuses an empty answer and writes nothing', async () => {
        const observed = await observe(store, 'VULN-0001', () =>
          reporterAnswer(deps, reporter, 'VULN-0001', ' '),
        );

        expect(errorCode(observed.result)).toBe('command.usage');
        expectNothingWritten(observed);
      });

      it('returns a needs-info report from acknowledged back to acknowledged', async () => {
        expect((await acknowledge(deps, alice, 'VULN-0001')).ok).toBe(true);
        expect((await setStatus(deps, alice, 'VULN-0001', 'needs_info', 'Which build?')).ok).toBe(true);

        const observed = await observe(store, 'VULN-0001', () =>
          reporterAnswer(deps, reporter, 'vuln-0001', 'Build 42'),
        );

        expect(observed.after).toMatchObject({ status: 'acknowledged', statusBeforeNeedsInfo: null });
        expect(observed.audit).toHaveLength(1);
      });
    });

    describe('report IDs', () => {
      it.each(['VULN-0001', 'vuln-1', 'Vuln-001', ' vuln-0001 '])(
        'accepts %j for VULN-0001',
        async (typed) => {
          await fileReport(deps);

          expect((await acknowledge(deps, alice, typed)).ok).toBe(true);
          expect((await reporterAnswer(deps, reporter, typed, 'thanks')).ok).toBe(true);
        },
      );
    });
  });
};
