import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/ports/store.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { reporterAnswer } from '../../../src/use-cases/conversation.ts';
import { acknowledge, assign, setSeverity, setStatus } from '../../../src/use-cases/triage-actions.ts';
import { alice, bob, coreDeps, reporter, testClock } from '../../support/core.ts';
import type { TestStore } from '../../support/databases.ts';
import { summarize } from '../../support/outbox-drain.ts';
import { errorCode, expectNothingWritten, fileReport, observe } from '../../support/use-case-harness.ts';
import type { OpenedStore } from './opened-store.ts';
import { CARD_AND_NOTE, CARD_NOTE_AND_NOTICE, ID, NOW, noteOf, noticeOf, RECEIVED } from './triage-setup.ts';

const aliceJson = { platform: 'slack', userId: 'UALICE', displayName: 'alice' };

const CVSS31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const CVSS40 = 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N';

export const triageActionSpecs = (db: OpenedStore): void => {
  describe('triage actions', () => {
    let testStore: TestStore;
    let store: Store;
    let clock: ReturnType<typeof testClock>;
    let deps: CoreDeps;

    beforeEach(async () => {
      ({ testStore, store } = db);
      await testStore.reset();
      clock = testClock(RECEIVED);
      deps = coreDeps(store, { now: clock.now });
      await fileReport(deps);
      clock.set(NOW);
    });

    const run = <T>(act: () => Promise<T>, id = ID) => observe(store, id, act);
    /** Moves the report through legal steps as bob, so the action under test starts from there. */
    const prepare = async (...steps: ((d: CoreDeps) => Promise<{ ok: boolean }>)[]) => {
      for (const step of steps) expect((await step(deps)).ok).toBe(true);
    };
    const toTriaged = () =>
      prepare(
        (d) => acknowledge(d, bob, ID),
        (d) => setStatus(d, bob, ID, 'triaged'),
      );

    describe('acknowledge', () => {
      it('moves a new report to acknowledged, audits it once and tells the thread and the reporter', async () => {
        const observed = await run(() => acknowledge(deps, alice, ID));

        expect(observed.result).toMatchObject({
          ok: true,
          value: { message: 'alice acknowledged VULN-0001.' },
        });
        expect(observed.audit).toEqual([
          {
            id: expect.any(Number),
            reportId: ID,
            actor: alice,
            action: 'report.acknowledged',
            before: { status: 'new', acknowledgedAt: null },
            after: { status: 'acknowledged', acknowledgedAt: NOW },
            at: new Date(NOW),
          },
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
        expect(observed.outbox.every((m) => m.reportId === ID)).toBe(true);
        expect(noteOf(observed)).toBe('alice acknowledged VULN-0001.');
        expect(noticeOf(observed)).toMatchObject({ kind: 'acknowledged', reportId: ID, canReply: false });
        expect(observed.after).toMatchObject({
          status: 'acknowledged',
          acknowledgedAt: new Date(NOW),
          updatedAt: new Date(NOW),
        });
      });

      it('a repeated acknowledgement (a late second click) changes nothing', async () => {
        await prepare((d) => acknowledge(d, bob, ID));

        const observed = await run(() => acknowledge(deps, alice, ID));

        expect(errorCode(observed.result)).toBe('report.invalid_transition');
        expectNothingWritten(observed);
      });

      it('queues the card update and thread note on every triage platform', async () => {
        deps = { ...deps, triagePlatforms: ['slack', 'discord'] };

        const observed = await run(() => acknowledge(deps, alice, ID));

        expect(summarize(observed.outbox)).toEqual([
          'slack triage triage_card',
          'discord triage triage_card',
          'slack triage thread_note',
          'discord triage thread_note',
          'discord user:123456 reporter_notice',
        ]);
        expect(observed.audit).toHaveLength(1);
      });
    });

    describe('assign', () => {
      it('assigns the report, audits the assignee and tells the thread but not the reporter', async () => {
        const observed = await run(() => assign(deps, alice, ID, alice));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: alice,
            action: 'report.assigned',
            before: { assignee: null },
            after: { assignee: aliceJson },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_AND_NOTE);
        expect(noteOf(observed)).toBe('alice assigned VULN-0001 to alice.');
        expect(observed.after?.assignee).toEqual(alice);
      });

      it('reassigning to someone else records both people', async () => {
        await prepare((d) => assign(d, bob, ID, bob));

        const observed = await run(() => assign(deps, alice, ID, alice));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            before: { assignee: { platform: 'slack', userId: 'UBOB', displayName: 'bob' } },
            after: { assignee: aliceJson },
          }),
        ]);
      });

      it('assigning the current assignee again changes nothing', async () => {
        await prepare((d) => assign(d, alice, ID, alice));

        const observed = await run(() => assign(deps, alice, ID, alice));

        expect(errorCode(observed.result)).toBe('report.invalid_transition');
        expectNothingWritten(observed);
      });
    });

    describe('setSeverity', () => {
      it('sets a severity level (any case) and the remediation target it implies', async () => {
        const observed = await run(() => setSeverity(deps, alice, ID, ' High '));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: alice,
            action: 'report.severity_set',
            before: { severity: null, remediationDueOn: null },
            after: { severity: 'high', remediationDueOn: '2026-12-26' },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_AND_NOTE);
        expect(noteOf(observed)).toBe('alice set severity of VULN-0001 to High.');
      });

      it('scores a CVSS 3.1 vector, keeping the vector and score', async () => {
        const observed = await run(() => setSeverity(deps, alice, ID, CVSS31.toLowerCase()));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            before: { severity: null, cvssVector: null, cvssScore: null, remediationDueOn: null },
            after: {
              severity: 'critical',
              cvssVector: CVSS31,
              cvssScore: 9.8,
              remediationDueOn: '2026-12-03',
            },
          }),
        ]);
        expect(noteOf(observed)).toBe('alice set severity of VULN-0001 to Critical (CVSS 3.1 9.8).');
        expect(observed.after).toMatchObject({ severity: 'critical', cvssVector: CVSS31, cvssScore: 9.8 });
      });

      it('scores a CVSS 4.0 vector, replacing an earlier 3.1 score', async () => {
        await prepare((d) => setSeverity(d, bob, ID, CVSS31));

        const observed = await run(() => setSeverity(deps, alice, ID, CVSS40));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            before: {
              severity: 'critical',
              cvssVector: CVSS31,
              cvssScore: 9.8,
              remediationDueOn: '2026-12-03',
            },
            after: { severity: 'medium', cvssVector: CVSS40, cvssScore: 4.8, remediationDueOn: '2027-02-24' },
          }),
        ]);
        expect(noteOf(observed)).toBe('alice set severity of VULN-0001 to Medium (CVSS 4.0 4.8).');
      });

      it('counts the remediation target from triage when the report was triaged earlier', async () => {
        await toTriaged();
        clock.advanceDays(3);

        const observed = await run(() => setSeverity(deps, alice, ID, 'critical'));

        expect(observed.after?.remediationDueOn).toBe('2026-12-03');
      });

      it.each([
        ['the same level again', 'high', 'report.invalid_transition'],
        ['a word that is not a severity', 'urgent', 'severity.invalid'],
        ['a CVSS vector missing metrics', 'CVSS:3.1/AV:N/AC:L', 'cvss.invalid'],
        ['an unknown CVSS version', 'CVSS:2.0/AV:N/AC:L/Au:N/C:C/I:C/A:C', 'cvss.invalid'],
      ])('refuses %s and changes nothing', async (_case, input, code) => {
        await prepare((d) => setSeverity(d, bob, ID, 'high'));

        const observed = await run(() => setSeverity(deps, alice, ID, input));

        expect(errorCode(observed.result)).toBe(code);
        expectNothingWritten(observed);
      });

      it('refuses the same CVSS vector again', async () => {
        await prepare((d) => setSeverity(d, bob, ID, CVSS31));

        const observed = await run(() => setSeverity(deps, alice, ID, CVSS31));

        expect(errorCode(observed.result)).toBe('report.invalid_transition');
        expectNothingWritten(observed);
      });
    });

    describe('setStatus', () => {
      it('moves an acknowledged report to triaged and tells the reporter', async () => {
        await prepare((d) => acknowledge(d, bob, ID));

        const observed = await run(() => setStatus(deps, alice, ID, 'triaged'));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: alice,
            action: 'report.status_set',
            before: { status: 'acknowledged', triagedAt: null },
            after: { status: 'triaged', triagedAt: NOW },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
        expect(noteOf(observed)).toBe('alice moved VULN-0001 to Triaged.');
        expect(noticeOf(observed)).toMatchObject({ kind: 'status_changed', canReply: false });
      });

      it('asks the reporter for more information with the question, and remembers where to return', async () => {
        await prepare((d) => acknowledge(d, bob, ID));

        const observed = await run(() =>
          setStatus(deps, alice, ID, 'needs-info', '  Which version did you test?  '),
        );

        expect(observed.audit).toEqual([
          expect.objectContaining({
            action: 'report.status_set',
            before: { status: 'acknowledged', statusBeforeNeedsInfo: null },
            after: {
              status: 'needs_info',
              statusBeforeNeedsInfo: 'acknowledged',
              message: 'Which version did you test?',
            },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
        const notice = noticeOf(observed);
        expect(notice).toMatchObject({ kind: 'needs_info', canReply: true });
        expect(notice?.lines).toContain('Their question: Which version did you test?');
      });

      it('the reporter’s answer returns a needs-info report to where it was and lands in the thread', async () => {
        await toTriaged();
        await prepare((d) => setStatus(d, bob, ID, 'needs_info', 'Which version?'));

        const observed = await run(() => reporterAnswer(deps, reporter, 'vuln-1', 'Version 2.3.1'));

        expect(observed.result).toMatchObject({ ok: true, value: { reportId: ID } });
        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: reporter,
            action: 'report.reporter_answered',
            before: { status: 'needs_info' },
            after: { status: 'triaged', message: 'Version 2.3.1' },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(['slack triage thread_note', 'slack triage triage_card']);
        expect(noteOf(observed)).toBe('The reporter (rita) answered on VULN-0001: Version 2.3.1');
        expect(observed.after).toMatchObject({ status: 'triaged', statusBeforeNeedsInfo: null });
      });

      it('walks the rest of the life cycle, each step audited once and told to the reporter', async () => {
        await toTriaged();
        for (const [to, timestamp] of [
          ['fixing', null],
          ['fixed', 'fixedAt'],
          ['disclosed', 'disclosedAt'],
        ] as const) {
          const observed = await run(() => setStatus(deps, alice, ID, to));

          expect(observed.audit).toHaveLength(1);
          expect(observed.audit[0]?.after).toEqual({
            status: to,
            ...(timestamp ? { [timestamp]: NOW } : {}),
          });
          expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
        }
      });

      it.each([
        ['an illegal move (new to fixed)', 'fixed', 'report.invalid_transition'],
        ['a move to the current status', 'new', 'report.invalid_transition'],
        ['an unknown status', 'banana', 'status.invalid'],
        ['out of scope without a reason', 'out_of_scope', 'command.usage'],
        ['duplicate without the original', 'duplicate', 'command.usage'],
      ])('refuses %s and changes nothing', async (_case, status, code) => {
        const observed = await run(() => setStatus(deps, alice, ID, status));

        expect(errorCode(observed.result)).toBe(code);
        expectNothingWritten(observed);
      });

      it('refuses to move a disclosed report anywhere', async () => {
        await toTriaged();
        await prepare(
          (d) => setStatus(d, bob, ID, 'fixed'),
          (d) => setStatus(d, bob, ID, 'disclosed'),
        );

        const observed = await run(() => setStatus(deps, alice, ID, 'triaged'));

        expect(errorCode(observed.result)).toBe('report.invalid_transition');
        expectNothingWritten(observed);
      });
    });
  });
};
