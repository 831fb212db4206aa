import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMINISTRATOR,
  FAKE_IDS,
  messageObject,
  type RecordedCall,
} from '../../fakes/discord/fake-discord.ts';
import {
  buttonClick,
  modalSubmit,
  option,
  selectMenu,
  slashCommand,
  subcommand,
} from '../../fakes/discord/interaction-payloads.ts';
import type { TestStore } from '../../support/databases.ts';
import { cachedPgliteStore } from './cached-pglite.ts';
import {
  CALLBACK,
  CREATE_MESSAGE,
  type DiscordHarness,
  EDIT_MESSAGE,
  EDIT_ORIGINAL,
  FOLLOW_UP,
  OUTSIDER_ID,
  REPORTER_ID,
  ROLE_TRIAGER_ID,
  startDiscordHarness,
  submitReportModal,
  TRIAGE_CHANNEL,
  TRIAGE_ROLE,
  TRIAGER_ID,
} from './discord-harness.ts';

type Body = {
  content?: string;
  flags?: number;
  embeds?: { title?: string; fields?: { name: string; value: string }[] }[];
};
const body = (call: RecordedCall | undefined): Body => (call?.body ?? {}) as Body;

describe('triage on Discord: the card, its buttons and selects, its thread', () => {
  let db: TestStore;
  let h: DiscordHarness;
  let threadId: string;
  let cardMessageId: string;

  const triager = { userId: TRIAGER_ID, username: 'alice', channelId: TRIAGE_CHANNEL };
  const roleTriager = {
    userId: ROLE_TRIAGER_ID,
    username: 'bob',
    channelId: TRIAGE_CHANNEL,
    memberRoles: [TRIAGE_ROLE],
  };

  /** The card message as Discord would attach it to a component interaction. */
  const cardMessage = () => {
    const lastCard = [...h.fake.rest.calls]
      .reverse()
      .find(
        (c) => (c.route === EDIT_MESSAGE || c.route === CREATE_MESSAGE) && c.params.id === TRIAGE_CHANNEL,
      );
    return messageObject(TRIAGE_CHANNEL, lastCard?.body as Record<string, unknown>, {
      id: cardMessageId,
      guild_id: FAKE_IDS.guild,
    });
  };
  const threadNotes = () =>
    h
      .calls(CREATE_MESSAGE)
      .filter((c) => c.params.id === threadId)
      .map((c) => body(c).content ?? '');
  const dms = () =>
    h.calls(CREATE_MESSAGE).filter((c) => c.params.id !== threadId && c.params.id !== TRIAGE_CHANNEL);
  const cardEdits = () => h.calls(EDIT_MESSAGE).filter((c) => c.params.messageId === cardMessageId);
  const field = (call: RecordedCall | undefined, name: string) =>
    body(call).embeds?.[0]?.fields?.find((f) => f.name === name)?.value;

  beforeAll(async () => {
    db = await cachedPgliteStore();
    h = await startDiscordHarness(db);
  });
  afterAll(async () => {
    await h.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.reset();
    await submitReportModal(h);
    await h.settle();
    const ref = await h.core.store.cards.find('VULN-0001', 'discord');
    threadId = ref?.threadId ?? '';
    cardMessageId = ref?.messageId ?? '';
    h.clear();
  });

  it('Acknowledge: a deferred update, a private confirmation, the card edited in place, a thread note and a DM', async () => {
    const first = await h.send(
      buttonClick({ customId: 'vuln_ack:VULN-0001', ...triager, message: cardMessage() }),
    );
    expect(first.body).toEqual({ type: 6 });
    const answer = h.calls(FOLLOW_UP)[0];
    expect((body(answer).flags ?? 0) & 64).toBe(64);
    expect(body(answer).content).toContain('alice acknowledged VULN-0001');
    await h.settle();
    expect(field(cardEdits().at(-1), 'Status')).toBe('Acknowledged');
    expect(h.calls(CREATE_MESSAGE).filter((c) => c.params.id === TRIAGE_CHANNEL)).toEqual([]);
    expect(threadNotes()).toEqual(['alice acknowledged VULN-0001.']);
    expect(body(dms()[0]).content).toContain('has acknowledged VULN-0001');
  });

  it('Severity select by a member of the triage role sets it; the card shows it', async () => {
    const first = await h.send(
      selectMenu({
        customId: 'vuln_severity:VULN-0001',
        values: ['high'],
        ...roleTriager,
        message: cardMessage(),
      }),
    );
    expect(first.body).toEqual({ type: 6 });
    expect((await h.core.store.reports.findById('VULN-0001'))?.severity).toBe('high');
    await h.settle();
    expect(field(cardEdits().at(-1), 'Severity')).toBe('High');
    expect(threadNotes()).toEqual(['bob set severity of VULN-0001 to High.']);
  });

  it('Disclosure date opens a modal prefilled from the card; submitting it moves the date and tells the reporter', async () => {
    const opened = await h.send(
      buttonClick({ customId: 'vuln_disclosure:VULN-0001', ...triager, message: cardMessage() }),
    );
    expect(opened.body).toMatchObject({
      type: 9,
      data: {
        custom_id: 'vuln_disclosure_modal:VULN-0001',
        components: [
          {
            type: 18,
            component: { type: 4, custom_id: 'text', value: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
          },
        ],
      },
    });
    const first = await h.send(
      modalSubmit({
        customId: 'vuln_disclosure_modal:VULN-0001',
        fields: { text: '2030-06-01' },
        ...triager,
      }),
    );
    expect(first.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(body(h.calls(EDIT_ORIGINAL).at(-1)).content).toContain('to 2030-06-01');
    expect((await h.core.store.reports.findById('VULN-0001'))?.disclosureOn).toBe('2030-06-01');
    await h.settle();
    expect(field(cardEdits().at(-1), 'Disclosure')).toContain('2030-06-01');
    expect(threadNotes()[0]).toContain('to 2030-06-01');
    expect(body(dms()[0]).content).toContain('2030-06-01');
  });

  it('Status "Needs more info" asks for the question, the reporter answers from the DM, the answer lands in the thread', async () => {
    await h.send(buttonClick({ customId: 'vuln_ack:VULN-0001', ...triager }));
    const opened = await h.send(
      selectMenu({
        customId: 'vuln_status:VULN-0001',
        values: ['needs_info'],
        ...triager,
        message: cardMessage(),
      }),
    );
    expect(opened.body).toMatchObject({ type: 9, data: { custom_id: 'vuln_needs_info_modal:VULN-0001' } });
    await h.send(
      modalSubmit({
        customId: 'vuln_needs_info_modal:VULN-0001',
        fields: { text: 'Which version?' },
        ...triager,
      }),
    );
    await h.settle();
    const question = dms().find((c) => body(c).content?.includes('Which version?'));
    expect(question?.body).toMatchObject({
      components: [
        { type: 1, components: [{ type: 2, custom_id: 'reporter_answer:VULN-0001', label: 'Reply' }] },
      ],
    });

    const dm = { userId: REPORTER_ID, guildId: null, channelId: String(question?.params.id) };
    const reply = await h.send(buttonClick({ customId: 'reporter_answer:VULN-0001', ...dm }));
    expect(reply.body).toMatchObject({ type: 9, data: { custom_id: 'reporter_answer_modal:VULN-0001' } });
    await h.send(
      modalSubmit({ customId: 'reporter_answer_modal:VULN-0001', fields: { text: 'Version 2.3.1' }, ...dm }),
    );
    expect(body(h.calls(EDIT_ORIGINAL).at(-1)).content).toContain('was sent to the security team');
    expect((await h.core.store.reports.findById('VULN-0001'))?.status).toBe('acknowledged');
    await h.settle();
    expect(threadNotes().at(-1)).toContain('answered on VULN-0001: Version 2.3.1');
  });

  it('Assign to me, Reply to reporter and Duplicate of… work from the card', async () => {
    await h.send(buttonClick({ customId: 'vuln_assign_me:VULN-0001', ...triager }));
    const reply = await h.send(buttonClick({ customId: 'vuln_reply:VULN-0001', ...triager }));
    expect(reply.body).toMatchObject({ type: 9, data: { custom_id: 'vuln_reply_modal:VULN-0001' } });
    await h.send(
      modalSubmit({
        customId: 'vuln_reply_modal:VULN-0001',
        fields: { text: 'Thanks, looking.' },
        ...triager,
      }),
    );
    await submitReportModal(h, { title: 'The same SQL injection' });
    const duplicate = await h.send(buttonClick({ customId: 'vuln_duplicate:VULN-0002', ...triager }));
    expect(duplicate.body).toMatchObject({ type: 9, data: { custom_id: 'vuln_duplicate_modal:VULN-0002' } });
    await h.send(
      modalSubmit({ customId: 'vuln_duplicate_modal:VULN-0002', fields: { text: 'vuln-1' }, ...triager }),
    );
    expect(await h.core.store.reports.findById('VULN-0001')).toMatchObject({
      assignee: { userId: TRIAGER_ID },
    });
    expect(await h.core.store.reports.findById('VULN-0002')).toMatchObject({
      status: 'duplicate',
      duplicateOf: 'VULN-0001',
    });
    await h.settle();
    expect(field(cardEdits().at(-1), 'Assignee')).toBe('alice');
    expect(threadNotes()).toContain('alice wrote to the reporter of VULN-0001: Thanks, looking.');
    expect(dms().some((c) => body(c).content?.includes('Thanks, looking.'))).toBe(true);
  });

  it('refuses a member and a server administrator who are not triagers, privately, and changes nothing', async () => {
    const outsider = { userId: OUTSIDER_ID, channelId: TRIAGE_CHANNEL };
    const admin = { ...outsider, permissions: ADMINISTRATOR, memberRoles: [FAKE_IDS.adminRole] };
    for (const who of [outsider, admin]) {
      await h.send(buttonClick({ customId: 'vuln_ack:VULN-0001', ...who }));
      await h.send(selectMenu({ customId: 'vuln_severity:VULN-0001', values: ['critical'], ...who }));
      const modal = await h.send(buttonClick({ customId: 'vuln_reply:VULN-0001', ...who }));
      expect(modal.body).toMatchObject({ type: 4 });
      expect(((modal.body as { data: Body }).data.flags ?? 0) & 64).toBe(64);
      await h.send(
        slashCommand({ name: 'vuln', options: [subcommand('ack', [option('id', 'VULN-0001')])], ...who }),
      );
    }
    const refusals = [...h.calls(FOLLOW_UP), ...h.calls(EDIT_ORIGINAL)];
    expect(refusals).toHaveLength(6);
    for (const refusal of refusals) {
      expect(body(refusal).content).toContain('Only the security triage team can do that');
    }
    expect(await h.core.store.reports.findById('VULN-0001')).toMatchObject({ status: 'new', severity: null });
    await h.settle();
    expect(cardEdits()).toEqual([]);
    expect(threadNotes()).toEqual([]);
  });

  it('refuses triage from another server and from a direct message', async () => {
    await h.send(buttonClick({ customId: 'vuln_ack:VULN-0001', ...triager, guildId: '1250000000000000999' }));
    await h.send(buttonClick({ customId: 'vuln_ack:VULN-0001', userId: TRIAGER_ID, guildId: null }));
    const answers = h.calls(CREATE_MESSAGE).length + h.calls(FOLLOW_UP).length;
    expect(answers).toBe(0);
    const callbacks = h.calls(CALLBACK).map((c) => (c.body as { data: Body }).data.content);
    expect(callbacks[0]).toContain('only works in the server it was set up for');
    expect(callbacks[1]).toContain('not in direct messages');
    expect((await h.core.store.reports.findById('VULN-0001'))?.status).toBe('new');
  });

  it('Show full text answers privately with the whole report, and the reveal is audited', async () => {
    await h.send(buttonClick({ customId: 'vuln_reveal:VULN-0001', ...triager }));
    const revealed = body(h.calls(EDIT_ORIGINAL).at(-1)).content ?? '';
    expect(revealed).toContain('VULN-0001 full text');
    expect(revealed).toContain('Every row comes back');
    const audit = await h.core.store.audit.listForReport('VULN-0001');
    expect(audit.map((e) => e.action)).toContain('report.revealed');
  });
});
