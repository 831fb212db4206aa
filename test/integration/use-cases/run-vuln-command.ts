import { beforeEach, describe, expect, it } from 'vitest';
import type { CommandReply } from '../../../src/commands/command-reply.ts';
import { helpLines } from '../../../src/commands/parse-vuln-command.ts';
import { runVulnCommand } from '../../../src/commands/run-vuln-command.ts';
import type { Store } from '../../../src/ports/store.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { alice, bob, coreDeps, mallory, testClock } from '../../support/core.ts';
import type { TestStore } from '../../support/databases.ts';
import { summarize } from '../../support/outbox-drain.ts';
import { expectNothingWritten, fileReport, observe } from '../../support/use-case-harness.ts';
import type { OpenedStore } from './opened-store.ts';

const ID = 'VULN-0001';
const CVSS31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

const linesOf = (reply: CommandReply): readonly string[] => (reply.kind === 'text' ? reply.lines : []);

export const runVulnCommandSpecs = (db: OpenedStore): void => {
  describe('/vuln commands end to end', () => {
    let testStore: TestStore;
    let store: Store;
    let clock: ReturnType<typeof testClock>;
    let deps: CoreDeps;

    beforeEach(async () => {
      ({ testStore, store } = db);
      await testStore.reset();
      clock = testClock('2026-11-26T09:00:00.000Z');
      deps = coreDeps(store, { now: clock.now });
      await fileReport(deps);
      clock.set('2026-11-26T10:00:00.000Z');
    });

    const vuln = (text: string, actor = alice) => observe(store, ID, () => runVulnCommand(deps, actor, text));

    describe('help and malformed input', () => {
      it.each(['help', '', '   ', 'HELP'])('%j shows every subcommand', async (text) => {
        const { result } = await vuln(text);

        expect(result).toMatchObject({ kind: 'text', ok: true, title: 'vulndesk commands' });
        expect(linesOf(result)).toEqual(helpLines());
        expect(linesOf(result).join('\n')).toMatch(/\/vuln severity <ID>/);
      });

      it.each([
        ['an unknown subcommand', 'frobnicate VULN-0001', 'Unknown command "frobnicate"'],
        ['an object property name', 'constructor VULN-0001 x', 'Unknown command "constructor"'],
        ['a prototype name', '__proto__', 'Unknown command "__proto__"'],
        ['a missing ID', 'ack', 'Which report? Usage: /vuln ack <ID>'],
        ['a missing value', 'severity VULN-0001', 'Something is missing. Usage: /vuln severity'],
        ['an unknown list', 'list everything', 'Unknown list "everything"'],
        ['assigning someone else', 'assign VULN-0001 bob', 'assigned to yourself'],
        ['an ID that is not an ID', 'ack 0001', 'No report 0001 exists'],
        [
          'an ID with too many digits',
          'show VULN-12345678901234567890',
          'No report VULN-12345678901234567890',
        ],
        ['a missing report', 'status vuln-404 triaged', 'No report vuln-404 exists'],
      ])('answers %s privately with what to do, and changes nothing', async (_case, text, expected) => {
        const observed = await vuln(text);

        expect(observed.result).toMatchObject({ kind: 'text', ok: false });
        expect(linesOf(observed.result).join('\n')).toContain(expected);
        expectNothingWritten(observed);
      });

      it('never throws, whatever is typed', async () => {
        const inputs = [
          '\n\t\r',
          'ack\nVULN-0001',
          `severity VULN-0001 CVSS:3.1/${'AV:N/'.repeat(200)}`,
          `note VULN-0001 ${'é🔓'.repeat(1500)}`,
          'reply VULN-0001 <!channel> <@U123> *bold*',
          'disclose VULN-0001 +99999d',
          'oos VULN-0001 ; drop table reports; --',
          'duplicate VULN-0001 VULN-0001',
          'toString',
          'hasOwnProperty VULN-0001',
        ];
        for (const text of inputs) {
          await expect(runVulnCommand(deps, alice, text)).resolves.toMatchObject({ kind: 'text' });
        }
      });
    });

    describe('triage commands', () => {
      it('ack acknowledges the report named in any case', async () => {
        const observed = await vuln('ack vuln-1');

        expect(observed.result).toEqual({ kind: 'text', ok: true, lines: ['alice acknowledged VULN-0001.'] });
        expect(observed.after?.status).toBe('acknowledged');
        expect(observed.audit.map((e) => e.action)).toEqual(['report.acknowledged']);
      });

      it('a second ack answers that nothing changed', async () => {
        await vuln('ack VULN-0001');

        const observed = await vuln('acknowledge VULN-0001', bob);

        expect(observed.result).toEqual({
          kind: 'text',
          ok: false,
          lines: ['VULN-0001 was already acknowledged; nothing changed.'],
        });
        expectNothingWritten(observed);
      });

      it('severity takes a CVSS vector with its inner structure intact', async () => {
        const observed = await vuln(`sev   vuln-0001   ${CVSS31}`);

        expect(linesOf(observed.result)).toEqual([
          'alice set severity of VULN-0001 to Critical (CVSS 3.1 9.8).',
        ]);
        expect(observed.after).toMatchObject({ severity: 'critical', cvssVector: CVSS31, cvssScore: 9.8 });
      });

      it('status needs_info passes the rest of the line to the reporter as the question', async () => {
        await vuln('ack VULN-0001');

        const observed = await vuln(
          'status VULN-0001 needs_info Which version did you test?\nAnd which browser?',
        );

        expect(observed.after?.status).toBe('needs_info');
        const notice = observed.outbox.find((m) => m.payload.type === 'reporter_notice')?.payload;
        expect(notice?.type === 'reporter_notice' && notice.notice.lines).toContain(
          'Their question: Which version did you test?\nAnd which browser?',
        );
      });

      it('disclose +30d moves the date thirty days from today', async () => {
        const observed = await vuln('disclose VULN-0001 +30d');

        expect(observed.after?.disclosureOn).toBe('2026-12-26');
        expect(summarize(observed.outbox)).toContain('discord user:123456 reporter_notice');
      });

      it('duplicate, oos, reply and note each make their change', async () => {
        await fileReport(deps);
        await fileReport(deps);

        expect(linesOf(await runVulnCommand(deps, alice, 'dup VULN-0002 vuln-1'))).toEqual([
          'alice closed VULN-0002 as a duplicate of VULN-0001.',
        ]);
        expect(linesOf(await runVulnCommand(deps, alice, 'oos VULN-0003 dos'))).toEqual([
          'alice closed VULN-0003 as out of scope (denial of service).',
        ]);
        const reply = await vuln('reply VULN-0001 Thanks, we are on it.');
        const note = await vuln('note VULN-0001 Looks real.');

        expect(summarize(reply.outbox)).toContain('discord user:123456 reporter_notice');
        expect(summarize(note.outbox)).not.toContain('discord user:123456 reporter_notice');
        expect((await store.reports.findById('VULN-0002'))?.duplicateOf).toBe(ID);
        expect((await store.reports.findById('VULN-0003'))?.outOfScopeReason).toBe('denial_of_service');
      });

      it('text with a NUL character (pasted binary) is stored without it instead of failing', async () => {
        const note = await vuln('note VULN-0001 before\u0000after');
        await vuln('ack VULN-0001');
        const question = await vuln('status VULN-0001 needs_info what\u0000?');
        const reply = await vuln('reply VULN-0001 \u0000hi');

        expect(note.audit[0]?.after).toEqual({ note: 'beforeafter' });
        expect(question.audit[0]?.after).toMatchObject({ message: 'what?' });
        expect(reply.audit[0]?.after).toEqual({ message: 'hi' });
      });

      it('text with a broken emoji (a lone surrogate) is stored with a replacement character', async () => {
        const note = await vuln('note VULN-0001 cut \uD83D here, whole 🔓 there');

        expect(note.result).toMatchObject({ ok: true });
        expect(note.audit[0]?.after).toEqual({ note: 'cut \uFFFD here, whole 🔓 there' });
      });
    });

    describe('queries', () => {
      it('show answers with the triage card', async () => {
        const { result } = await vuln('show vuln-0001');

        expect(result.kind).toBe('card');
        expect(result.kind === 'card' && result.card).toMatchObject({ reportId: ID });
      });

      it('reveal answers with the full text and audits who saw it', async () => {
        const observed = await vuln('reveal VULN-0001');

        expect(observed.result).toMatchObject({
          kind: 'text',
          ok: true,
          title: 'VULN-0001 full text: SQL injection in /api/search',
        });
        expect(linesOf(observed.result)).toContain('Read any customer record.');
        expect(observed.audit.map((e) => [e.action, e.actor])).toEqual([['report.revealed', alice]]);
        expect(observed.outbox).toEqual([]);
      });

      it('list shows open reports; list mine only the caller’s; list overdue only late ones', async () => {
        await fileReport(deps, { submission: { title: 'Second' } });
        await runVulnCommand(deps, alice, 'assign VULN-0002 me');

        expect(linesOf(await runVulnCommand(deps, alice, 'list'))).toEqual([
          'VULN-0001 · New · Not set · unassigned · SQL injection in /api/search',
          'VULN-0002 · New · Not set · alice · Second',
        ]);
        expect(linesOf(await runVulnCommand(deps, alice, 'ls mine'))).toEqual([
          'VULN-0002 · New · Not set · alice · Second',
        ]);
        expect(linesOf(await runVulnCommand(deps, bob, 'list mine'))).toEqual(['Nothing to show.']);
        expect(linesOf(await runVulnCommand(deps, alice, 'list overdue'))).toEqual(['Nothing to show.']);

        clock.set('2026-12-01T00:00:00.000Z');
        expect(linesOf(await runVulnCommand(deps, alice, 'list overdue'))).toEqual([
          'VULN-0001 · New · Not set · unassigned · SQL injection in /api/search · acknowledgement overdue',
          'VULN-0002 · New · Not set · alice · Second · acknowledgement overdue',
        ]);
      });

      it('digest lists what is due for a triager', async () => {
        clock.set('2026-12-01T00:00:00.000Z');

        const { result } = await vuln('digest');

        expect(result).toMatchObject({ kind: 'text', ok: true, title: 'Security digest for 2026-12-01' });
        expect(linesOf(result)).toContain('Acknowledgement overdue:');
      });

      it('refuses a non-triager every command except help, changing nothing', async () => {
        const commands = [
          'ack VULN-0001',
          'show VULN-0001',
          'list',
          'reveal VULN-0001',
          'digest',
          'note VULN-0001 hi',
          'health',
          'retry all',
        ];
        for (const text of commands) {
          const observed = await vuln(text, mallory);
          expect(observed.result).toEqual({
            kind: 'text',
            ok: false,
            lines: ['Only the security triage team can do that. Nothing was changed.'],
          });
          expectNothingWritten(observed);
        }
        expect((await vuln('help', mallory)).result).toMatchObject({ ok: true });
      });
    });
  });
};
