import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../fakes/discord/fake-discord.ts';
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
  REPORTER_ID,
  startDiscordHarness,
  TRIAGE_CHANNEL,
  TRIAGER_ID,
} from './discord-harness.ts';

const INJECTION = '@everyone @here <@123> <@&456> [https://good](https://evil)';

/** What Discord would turn into a ping or a disguised link if it rendered this markdown. */
const ACTIVE = [
  /@everyone/,
  /@here/,
  /<@!?\d+>/,
  /<@&\d+>/,
  /(?<!\\)\[[^\]]*(?<!\\)\]\(/, // a masked link: [text](url) with unescaped brackets
  /(?<![<\w])https:\/\/evil/, // a bare URL would unfurl; wrapped ones read <https://evil>
];

interface Sent {
  readonly route: string;
  readonly body: Record<string, unknown>;
}

const MESSAGE_ROUTES = new Set([
  CREATE_MESSAGE,
  EDIT_MESSAGE,
  EDIT_ORIGINAL,
  FOLLOW_UP,
  'PATCH /webhooks/:appId/:token/messages/:messageId',
]);

/** Every message the bot sent: channel posts and edits, interaction replies, edits and follow-ups. */
const sentMessages = (calls: readonly RecordedCall[]): Sent[] =>
  calls.flatMap((call): Sent[] => {
    const body = (call.body ?? {}) as Record<string, unknown>;
    if (MESSAGE_ROUTES.has(call.route)) return [{ route: call.route, body }];
    if (call.route === CALLBACK && (body.type === 4 || body.type === 7)) {
      return [{ route: call.route, body: (body.data ?? {}) as Record<string, unknown> }];
    }
    return [];
  });

/** Rendered text outside code blocks (code blocks show text literally, so they are inert by nature). */
const renderedText = (body: Record<string, unknown>): string => {
  const embeds = (body.embeds ?? []) as {
    title?: string;
    description?: string;
    footer?: { text: string };
    fields?: { value: string }[];
  }[];
  const parts = [
    String(body.content ?? ''),
    ...embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      ...(e.fields ?? []).map((f) => f.value),
    ]),
  ];
  return parts.join('\n').replace(/```[\s\S]*?```/g, '');
};

describe('reporter and triager text cannot ping, mask links or unfurl on Discord', () => {
  let db: TestStore;
  let h: DiscordHarness;

  beforeAll(async () => {
    db = await cachedPgliteStore();
    h = await startDiscordHarness(db);
    const reporter = { userId: REPORTER_ID, username: '@everyone' };
    const triager = { userId: TRIAGER_ID, username: '@here', channelId: TRIAGE_CHANNEL };
    await h.send(
      modalSubmit({
        customId: 'report_intake',
        ...reporter,
        fields: {
          title: `Title ${INJECTION}`,
          asset: ['web app'],
          description: `Description ${INJECTION}\n# Status: Fixed\n> quoted`,
          impact: `Impact ${INJECTION}`,
        },
      }),
    );
    await h.settle();
    await h.send(buttonClick({ customId: 'vuln_ack:VULN-0001', ...triager }));
    await h.send(
      slashCommand({
        name: 'vuln',
        ...triager,
        options: [subcommand('note', [option('id', 'VULN-0001'), option('text', `Note ${INJECTION}`)])],
      }),
    );
    await h.send(
      slashCommand({
        name: 'vuln',
        ...triager,
        options: [subcommand('reply', [option('id', 'VULN-0001'), option('message', `Reply ${INJECTION}`)])],
      }),
    );
    await h.send(selectMenu({ customId: 'vuln_status:VULN-0001', values: ['needs_info'], ...triager }));
    await h.send(
      modalSubmit({
        customId: 'vuln_needs_info_modal:VULN-0001',
        fields: { text: `Question ${INJECTION}` },
        ...triager,
      }),
    );
    await h.send(
      modalSubmit({
        customId: 'reporter_answer_modal:VULN-0001',
        guildId: null,
        fields: { text: `Answer ${INJECTION}` },
        ...reporter,
      }),
    );
    await h.send(
      slashCommand({ name: 'vuln', ...triager, options: [subcommand('show', [option('id', 'VULN-0001')])] }),
    );
    await h.send(buttonClick({ customId: 'vuln_reveal:VULN-0001', ...triager }));
    await h.settle();
  });
  afterAll(async () => {
    await h.close();
    await db.close();
  });

  it('sends every message with allowed_mentions {parse: []}', () => {
    const sent = sentMessages(h.fake.rest.calls);
    expect(sent.length).toBeGreaterThan(15);
    for (const message of sent) expect(message.body.allowed_mentions, message.route).toEqual({ parse: [] });
  });

  it('renders no mention, masked link or bare URL from any text field in the card, thread, DMs or replies', () => {
    const sent = sentMessages(h.fake.rest.calls);
    for (const message of sent) {
      const text = renderedText(message.body);
      for (const pattern of ACTIVE) expect(text, `${message.route}: ${text}`).not.toMatch(pattern);
    }
  });

  it('still shows the text: the card, the thread and the DMs carry every field, escaped', () => {
    const sent = sentMessages(h.fake.rest.calls).map((m) => renderedText(m.body));
    for (const marker of ['Title', 'Description', 'Impact', 'Note', 'Reply', 'Question', 'Answer']) {
      const carrying = sent.filter((text) =>
        text.includes(`${marker} @\u200beveryone @\u200bhere <\u200b@123\\> <\u200b@&456\\>`),
      );
      expect(carrying.length, marker).toBeGreaterThan(0);
      expect(
        carrying.some((text) => text.includes('\\[<https://good>\\]\\(<https://evil>\\)')),
        marker,
      ).toBe(true);
    }
    const card = sent.find((text) => text.includes('Description @'));
    expect(card).toContain('\\# Status: Fixed');
    expect(card).toContain('\\> quoted');
  });

  it('suppresses link previews on text-only messages that carry reporter URLs', () => {
    const textOnly = sentMessages(h.fake.rest.calls).filter(
      (m) =>
        m.route === CREATE_MESSAGE &&
        !(m.body.embeds as unknown[] | undefined)?.length &&
        String(m.body.content).includes('evil'),
    );
    expect(textOnly.length).toBeGreaterThan(0);
    for (const message of textOnly) expect(Number(message.body.flags ?? 0) & 4).toBe(4);
  });
});
