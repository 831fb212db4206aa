import { beforeEach, describe, expect, it } from 'vitest';
import { OUT_OF_SCOPE_REASONS } from '../../../src/domain/report.ts';
import type { Store } from '../../../src/ports/store.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { addNote, replyToReporter } from '../../../src/use-cases/conversation.ts';
import {
  acknowledge,
  assign,
  closeOutOfScope,
  markDuplicate,
  setDisclosureDate,
  setSeverity,
  setStatus,
} from '../../../src/use-cases/triage-actions.ts';
import { OUT_OF_SCOPE_WORDING } from '../../../src/views/closing-wording.ts';
import { alice, bob, coreDeps, testClock } from '../../support/core.ts';
import type { TestStore } from '../../support/databases.ts';
import { summarize } from '../../support/outbox-drain.ts';
import { errorCode, expectNothingWritten, fileReport, observe } from '../../support/use-case-harness.ts';
import type { OpenedStore } from './opened-store.ts';
import { CARD_AND_NOTE, CARD_NOTE_AND_NOTICE, ID, NOW, noteOf, noticeOf, RECEIVED } from './triage-setup.ts';

export const closingActionSpecs = (db: OpenedStore): void => {
  describe('closing, reopening and conversation', () => {
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

    describe('setDisclosureDate', () => {
      it('moves the disclosure date to a given day and tells the reporter the old and new dates', async () => {
        const observed = await run(() => setDisclosureDate(deps, alice, ID, '2027-03-01'));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: alice,
            action: 'report.disclosure_date_set',
            before: { disclosureOn: '2027-02-24' },
            after: { disclosureOn: '2027-03-01' },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
        expect(noticeOf(observed)).toMatchObject({
          kind: 'disclosure_changed',
          lines: ['The planned disclosure date of VULN-0001 moved from 2027-02-24 to 2027-03-01.'],
        });
      });

      it('counts +Nd from today', async () => {
        clock.advanceDays(2);

        const observed = await run(() => setDisclosureDate(deps, alice, ID, '+30d'));

        expect(observed.after?.disclosureOn).toBe('2026-12-28');
        expect(observed.audit).toHaveLength(1);
      });

      it.each([
        ['a date before the report was received', '2026-11-25', 'disclosure.before_receipt'],
        ['the date it already has', '2027-02-24', 'report.invalid_transition'],
        ['something that is not a date', 'next tuesday', 'disclosure.invalid_date'],
        ['an impossible date', '2027-02-30', 'disclosure.invalid_date'],
      ])('refuses %s and changes nothing', async (_case, input, code) => {
        const observed = await run(() => setDisclosureDate(deps, alice, ID, input));

        expect(errorCode(observed.result)).toBe(code);
        expectNothingWritten(observed);
      });
    });

    describe('markDuplicate', () => {
      it('closes a report as a duplicate of another and tells the reporter', async () => {
        await fileReport(deps, { submission: { title: 'Same bug again' } });

        const observed = await run(() => markDuplicate(deps, alice, 'vuln-2', 'vuln-1'), 'VULN-0002');

        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: alice,
            action: 'report.marked_duplicate',
            before: { status: 'new', duplicateOf: null, acknowledgedAt: null },
            after: { status: 'duplicate', duplicateOf: ID, acknowledgedAt: NOW },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
        expect(observed.outbox.every((m) => m.reportId === 'VULN-0002')).toBe(true);
        expect(noticeOf(observed)).toMatchObject({ kind: 'closed' });
        expect(await store.audit.listForReport(ID)).toHaveLength(1);
      });

      it.each([
        ['of itself', 'VULN-0001', 'report.duplicate_of_self'],
        ['of a report that does not exist', 'VULN-0042', 'report.not_found'],
        ['of something that is not an ID', 'the other one', 'report.not_found'],
      ])('refuses a duplicate %s and changes nothing', async (_case, original, code) => {
        const observed = await run(() => markDuplicate(deps, alice, ID, original));

        expect(errorCode(observed.result)).toBe(code);
        expectNothingWritten(observed);
      });

      it('refuses to mark a duplicate twice', async () => {
        await fileReport(deps);
        await prepare((d) => markDuplicate(d, bob, 'VULN-0002', ID));

        const observed = await run(() => markDuplicate(deps, alice, 'VULN-0002', ID), 'VULN-0002');

        expect(errorCode(observed.result)).toBe('report.invalid_transition');
        expectNothingWritten(observed);
      });
    });

    describe('closeOutOfScope', () => {
      it.each(OUT_OF_SCOPE_REASONS)(
        'closes the report as out of scope for %s, telling the reporter why',
        async (reason) => {
          const observed = await run(() => closeOutOfScope(deps, alice, ID, reason.replaceAll('_', ' ')));

          expect(observed.audit).toEqual([
            expect.objectContaining({
              actor: alice,
              action: 'report.out_of_scope',
              before: { status: 'new', outOfScopeReason: null, acknowledgedAt: null },
              after: { status: 'out_of_scope', outOfScopeReason: reason, acknowledgedAt: NOW },
            }),
          ]);
          expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
          expect(noticeOf(observed)).toMatchObject({ kind: 'closed' });
          expect(noticeOf(observed)?.lines).toContain(OUT_OF_SCOPE_WORDING[reason]);
        },
      );

      it('refuses an unknown reason and changes nothing', async () => {
        const observed = await run(() => closeOutOfScope(deps, alice, ID, 'too hard'));

        expect(errorCode(observed.result)).toBe('command.usage');
        expectNothingWritten(observed);
      });

      it('refuses to close a closed report again', async () => {
        await prepare((d) => closeOutOfScope(d, bob, ID, 'other'));

        const observed = await run(() => closeOutOfScope(deps, alice, ID, 'third_party'));

        expect(errorCode(observed.result)).toBe('report.invalid_transition');
        expectNothingWritten(observed);
      });
    });

    describe('reopen', () => {
      it('reopens an out-of-scope report as triaged, dropping the reason, and tells the reporter', async () => {
        await prepare((d) => closeOutOfScope(d, bob, ID, 'third_party'));

        const observed = await run(() => setStatus(deps, alice, ID, 'triaged'));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: alice,
            action: 'report.reopened',
            before: { status: 'out_of_scope', outOfScopeReason: 'third_party', triagedAt: null },
            after: { status: 'triaged', outOfScopeReason: null, triagedAt: NOW },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
        expect(noteOf(observed)).toBe('alice reopened VULN-0001 as Triaged.');
      });

      it('reopens a duplicate as triaged and no longer calls it a duplicate', async () => {
        await fileReport(deps);
        await prepare((d) => markDuplicate(d, bob, 'VULN-0002', ID));

        const observed = await run(() => setStatus(deps, alice, 'VULN-0002', 'triaged'), 'VULN-0002');

        expect(observed.audit).toEqual([
          expect.objectContaining({
            action: 'report.reopened',
            before: expect.objectContaining({ status: 'duplicate', duplicateOf: ID }),
            after: expect.objectContaining({ status: 'triaged', duplicateOf: null }),
          }),
        ]);
        expect(observed.after).toMatchObject({ status: 'triaged', duplicateOf: null });
      });

      it('refuses to reopen a closed report to anything but triaged', async () => {
        await prepare((d) => setStatus(d, bob, ID, 'spam'));

        const observed = await run(() => setStatus(deps, alice, ID, 'acknowledged'));

        expect(errorCode(observed.result)).toBe('report.invalid_transition');
        expectNothingWritten(observed);
      });
    });

    describe('addNote', () => {
      it('adds an internal note to the thread and the audit trail, never to the reporter', async () => {
        const observed = await run(() => addNote(deps, alice, ID, ' Reproduced on staging. '));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: alice,
            action: 'report.note_added',
            before: {},
            after: { note: 'Reproduced on staging.' },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_AND_NOTE);
        expect(noteOf(observed)).toBe('alice noted on VULN-0001: Reproduced on staging.');
      });

      it('refuses an empty note and changes nothing', async () => {
        const observed = await run(() => addNote(deps, alice, ID, '   '));

        expect(errorCode(observed.result)).toBe('command.usage');
        expectNothingWritten(observed);
      });
    });

    describe('replyToReporter', () => {
      it('sends the message to the reporter, who may answer, and records it', async () => {
        const observed = await run(() => replyToReporter(deps, alice, ID, 'Can you share the request ID?'));

        expect(observed.audit).toEqual([
          expect.objectContaining({
            actor: alice,
            action: 'report.reporter_messaged',
            before: {},
            after: { message: 'Can you share the request ID?' },
          }),
        ]);
        expect(summarize(observed.outbox)).toEqual(CARD_NOTE_AND_NOTICE);
        expect(noticeOf(observed)).toMatchObject({
          kind: 'message',
          canReply: true,
          lines: ['The security team wrote about VULN-0001:', 'Can you share the request ID?'],
        });
      });

      it('refuses a message over the limit and changes nothing', async () => {
        const observed = await run(() => replyToReporter(deps, alice, ID, 'x'.repeat(2001)));

        expect(errorCode(observed.result)).toBe('command.usage');
        expectNothingWritten(observed);
      });
    });

    describe('a report that does not exist', () => {
      it.each([
        ['acknowledge', (d: CoreDeps) => acknowledge(d, alice, 'VULN-0099')],
        ['assign', (d: CoreDeps) => assign(d, alice, 'VULN-0099', alice)],
        ['setSeverity', (d: CoreDeps) => setSeverity(d, alice, 'VULN-0099', 'high')],
        ['setStatus', (d: CoreDeps) => setStatus(d, alice, 'VULN-0099', 'triaged')],
        ['setDisclosureDate', (d: CoreDeps) => setDisclosureDate(d, alice, 'VULN-0099', '+10d')],
        ['markDuplicate', (d: CoreDeps) => markDuplicate(d, alice, 'VULN-0099', ID)],
        ['closeOutOfScope', (d: CoreDeps) => closeOutOfScope(d, alice, 'VULN-0099', 'other')],
        ['addNote', (d: CoreDeps) => addNote(d, alice, 'VULN-0099', 'note')],
        ['replyToReporter', (d: CoreDeps) => replyToReporter(d, alice, 'VULN-0099', 'hi')],
        ['an ID that is not an ID', (d: CoreDeps) => acknowledge(d, alice, 'DROP TABLE reports')],
      ])('%s answers report.not_found and writes nothing', async (_name, action) => {
        const observed = await run(() => action(deps), 'VULN-0099');

        expect(errorCode(observed.result)).toBe('report.not_found');
        expectNothingWritten(observed);
        expect(await store.audit.listForReport(ID)).toHaveLength(1);
      });
    });
  });
};
