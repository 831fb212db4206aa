import { beforeEach, describe, expect, it } from 'vitest';
import { runVulnCommand } from '../../../src/commands/run-vuln-command.ts';
import type { Actor } from '../../../src/domain/report.ts';
import type { Result } from '../../../src/domain/result.ts';
import { createAuthorizer } from '../../../src/ports/authorizer.ts';
import type { Store } from '../../../src/ports/store.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { addNote, replyToReporter } from '../../../src/use-cases/conversation.ts';
import { requireTriager } from '../../../src/use-cases/mutate-report.ts';
import { listReports, revealReport, showReport } from '../../../src/use-cases/queries.ts';
import {
  acknowledge,
  assign,
  closeOutOfScope,
  markDuplicate,
  setDisclosureDate,
  setSeverity,
  setStatus,
} from '../../../src/use-cases/triage-actions.ts';
import { alice, bob, coreDeps, mallory, testClock } from '../../support/core.ts';
import type { TestStore } from '../../support/databases.ts';
import { errorCode, expectNothingWritten, fileReport, observe } from '../../support/use-case-harness.ts';
import type { OpenedStore } from './opened-store.ts';

const ID = 'VULN-0001';

type Action = (deps: CoreDeps, actor: Actor, id: string) => Promise<Result<unknown>>;

/** Every triage action and triage-only query, each with a value that would succeed for a triager. */
const TRIAGE_ONLY: readonly (readonly [string, Action])[] = [
  ['acknowledge', (d, a, id) => acknowledge(d, a, id)],
  ['assign', (d, a, id) => assign(d, a, id, a)],
  ['setSeverity by level', (d, a, id) => setSeverity(d, a, id, 'critical')],
  [
    'setSeverity by CVSS',
    (d, a, id) => setSeverity(d, a, id, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ],
  ['setStatus', (d, a, id) => setStatus(d, a, id, 'spam')],
  ['setStatus with a message', (d, a, id) => setStatus(d, a, id, 'informative', 'why?')],
  ['setDisclosureDate', (d, a, id) => setDisclosureDate(d, a, id, '+5d')],
  ['markDuplicate', (d, a, id) => markDuplicate(d, a, id, 'VULN-0002')],
  ['closeOutOfScope', (d, a, id) => closeOutOfScope(d, a, id, 'denial_of_service')],
  ['addNote', (d, a, id) => addNote(d, a, id, 'internal')],
  ['replyToReporter', (d, a, id) => replyToReporter(d, a, id, 'hello')],
  ['showReport', (d, a, id) => showReport(d, a, id)],
  ['revealReport', (d, a, id) => revealReport(d, a, id)],
  ['listReports open', (d, a) => listReports(d, a, 'open')],
  ['listReports overdue', (d, a) => listReports(d, a, 'overdue')],
  ['listReports mine', (d, a) => listReports(d, a, 'mine')],
  ['digest', (d, a) => requireTriager(d, a)],
];

export const authorizationSpecs = (db: OpenedStore): void => {
  describe('who may triage', () => {
    let testStore: TestStore;
    let store: Store;
    let deps: CoreDeps;

    beforeEach(async () => {
      ({ testStore, store } = db);
      await testStore.reset();
      deps = coreDeps(store, { now: testClock().now });
      await fileReport(deps);
      await fileReport(deps);
    });

    describe('someone not on the triage list', () => {
      it.each(TRIAGE_ONLY)(
        'is refused %s with auth.not_triager, and nothing changes',
        async (_name, action) => {
          const observed = await observe(store, ID, () => action(deps, mallory, ID));

          expect(errorCode(observed.result)).toBe('auth.not_triager');
          expectNothingWritten(observed);
          // Refused before the lookup: a missing ID gets the same answer, so it reveals nothing.
          expect(await action(deps, mallory, 'VULN-0404')).toEqual(observed.result);
        },
      );

      it('is refused the digest through the command too', async () => {
        const reply = await runVulnCommand(deps, mallory, 'digest');

        expect(reply).toEqual({
          kind: 'text',
          ok: false,
          lines: ['Only the security triage team can do that. Nothing was changed.'],
        });
      });

      it('cannot pass as a triager by using a triager’s user ID on another platform', async () => {
        const impostor: Actor = { platform: 'discord', userId: alice.userId, displayName: 'alice' };

        const observed = await observe(store, ID, () => acknowledge(deps, impostor, ID));

        expect(errorCode(observed.result)).toBe('auth.not_triager');
        expectNothingWritten(observed);
      });
    });

    it('a triager may take the same actions (the refusals above are about the actor, not the input)', async () => {
      for (const [name, action] of TRIAGE_ONLY) {
        await testStore.reset();
        await fileReport(deps);
        await fileReport(deps);
        const result = await action(deps, alice, ID);
        expect({ name, ok: result.ok }).toEqual({ name, ok: true });
      }
    });

    it('an empty triage list denies everyone', async () => {
      for (const list of [[], ['', '  ']]) {
        const closed = { ...deps, authorizer: createAuthorizer(list) };
        for (const actor of [alice, bob, mallory]) {
          const observed = await observe(store, ID, () => acknowledge(closed, actor, ID));
          expect(errorCode(observed.result)).toBe('auth.not_triager');
          expectNothingWritten(observed);
          expect(errorCode(await showReport(closed, actor, ID))).toBe('auth.not_triager');
        }
      }
    });

    it('removing someone from the triage list takes effect on their next action', async () => {
      // The allow list as configuration holds it right now (e.g. after a reload), read on every call.
      const triagers = new Set(['slack:UALICE', 'slack:UBOB']);
      const live = {
        ...deps,
        authorizer: { isTriager: (actor: Actor) => createAuthorizer([...triagers]).isTriager(actor) },
      };
      expect((await assign(live, bob, ID, bob)).ok).toBe(true);

      triagers.delete('slack:UBOB');

      const observed = await observe(store, ID, () => acknowledge(live, bob, ID));
      expect(errorCode(observed.result)).toBe('auth.not_triager');
      expectNothingWritten(observed);
      expect(errorCode(await showReport(live, bob, ID))).toBe('auth.not_triager');
      expect((await acknowledge(live, alice, ID)).ok).toBe(true);
    });

    it('a failing group-membership check denies rather than grants', async () => {
      const flaky = {
        ...deps,
        authorizer: createAuthorizer([], [() => Promise.reject(new Error('Slack API down'))]),
      };

      expect(errorCode(await acknowledge(flaky, alice, ID))).toBe('auth.not_triager');
    });

    it('revealing the full text is audited for a triager and not for someone refused', async () => {
      await revealReport(deps, mallory, ID);
      const revealed = await revealReport(deps, alice, 'vuln-1');

      expect(revealed).toMatchObject({ ok: true, value: { id: ID, description: expect.any(String) } });
      const audit = await store.audit.listForReport(ID);
      expect(audit.map((e) => [e.action, e.actor.displayName])).toEqual([
        ['report.submitted', 'rita'],
        ['report.revealed', 'alice'],
      ]);
    });
  });
};
