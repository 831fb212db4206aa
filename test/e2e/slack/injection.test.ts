import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../../adapters/slack/render/modal-views.ts';
import { CARD_ACTIONS } from '../../../src/views/triage-card.ts';
import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';
import { pgliteTestStore, type TestStore } from '../../support/databases.ts';
import { allInertnessProblems, inertnessProblems } from './inert-text.ts';
import { intakeValues } from './intake-values.ts';
import {
  contentOf,
  dateValues,
  isDirectMessage,
  isThreadNote,
  isTriageCardPost,
  type SlackDriver,
  slackDriver,
  textsOf,
  textValues,
} from './slack-driver.ts';
import { REPORTER, type SlackHarness, startSlackHarness, TRIAGER } from './slack-harness.ts';

/** One of each way reporter text could ping, link-spoof, format-spoof or reorder what a reader sees. */
const ATTACKS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S123>',
  '<@U999>',
  '<#C999>',
  '<https://evil.example|https://good.example>',
  '*Status:* Fixed',
  '\u202Eexe.txt',
] as const;
const FORMATTING = ['*Status:* Fixed'];
const ATTACK = ATTACKS.join(' ');
const ESCAPED_MENTIONS = ['&lt;!channel&gt;', '&lt;!here&gt;', '&lt;@U999&gt;', '&lt;https://evil.example|'];

const injected = (field: string) => `${field}: ${ATTACK}`;
/** How Slack must receive reporter text: invisible and bidi characters made visible. */
const visible = (text: string) => text.replaceAll('\u202E', '\\u{202e}');
const INJECTED_INTAKE = intakeValues({
  title: injected('Title'),
  description: `${injected('Description')}\n\`\`\`\n${ATTACK}\n\`\`\``,
  impact: injected('Impact'),
  severityGuess: 'high',
});

let db: TestStore;
let slack: SlackHarness;
let drive: SlackDriver;
/** HTTP bodies the adapter answered with (view_submission acks): shown on screen too. */
let acks: unknown[];

beforeAll(async () => {
  db = await pgliteTestStore();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  slack = await startSlackHarness(db, { pacing: false });
  drive = slackDriver(slack);
  acks = [];
  return () => slack.close();
});

const ack = <T extends { json?: unknown }>(res: T): T => {
  if (res.json !== undefined) acks.push(res.json);
  return res;
};

const expectEverythingInert = async () => {
  await drive.settle();
  const outbound = slack.api.calls;
  expect(allInertnessProblems(outbound, acks, { formatting: FORMATTING })).toEqual([]);
  const posts = slack.api.callsOf('chat.postMessage');
  expect(posts.length).toBeGreaterThan(0);
  for (const post of posts) {
    expect({ unfurl_links: post.args.unfurl_links, unfurl_media: post.args.unfurl_media }).toEqual({
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
  }
};

/** The reporter's text reached this message, shown literally (plain_text) or escaped (mrkdwn). */
const expectCarriesAttackInertly = (call: RecordedCall) => {
  const plainTexts = textsOf(call.args.blocks).join('\n');
  for (const attack of ['<!channel>', '<@U999>', '<https://evil.example|https://good.example>']) {
    expect(plainTexts).toContain(attack);
  }
  expect(plainTexts).toContain('\\u{202e}exe.txt');
  expect(plainTexts).not.toContain('\u202E');
};

describe('the inertness check itself', () => {
  it('flags a raw mention in mrkdwn or the fallback, reporter formatting in a mrkdwn block, and a bidi override anywhere', () => {
    const problems = inertnessProblems(
      'sample',
      {
        text: 'hi <!channel>',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: '*Status:* Fixed', verbatim: true } },
          { type: 'section', text: { type: 'mrkdwn', text: '&lt;@U1&gt;' } },
          { type: 'header', text: { type: 'plain_text', text: 'ok <!here> but \u202E' } },
        ],
      },
      { formatting: FORMATTING },
    );
    expect(problems.map((p) => `${p.path}: ${p.problem}`)).toEqual([
      'text: raw < or > in mrkdwn',
      'blocks[0].text.text: reporter formatting "*Status:* Fixed" in a mrkdwn block',
      'blocks[1].text: mrkdwn without verbatim: true (auto-links names and URLs)',
      'blocks[2].text.text: invisible character U+202e',
    ]);
    expect(
      inertnessProblems('escaped', {
        text: '&lt;!channel&gt; *Status:* Fixed',
        blocks: [{ type: 'section', text: { type: 'plain_text', text: '<!channel> *Status:* Fixed' } }],
      }),
    ).toEqual([]);
  });
});

describe('reporter text with mentions, links, formatting and bidi overrides arrives inert', () => {
  it('in the triage card (blocks and top-level fallback) and the confirmation DM', async () => {
    const { id, card, response } = await drive.fileReport('V-INJ-1', INJECTED_INTAKE);
    ack(response);
    expect(id).toBe('VULN-0001');
    const stored = await db.store.reports.findById(id);
    expect(stored?.title).toBe(injected('Title'));

    expectCarriesAttackInertly(card);
    const fallback = String(card.args.text);
    for (const escaped of ESCAPED_MENTIONS.slice(0, 3)) expect(fallback).toContain(escaped);
    expect(fallback).not.toMatch(/[<>]/);
    expect(contentOf(card)).toContain(`Impact: ${'<!channel>'}`);

    const dm = await slack.api.waitFor('chat.postMessage', (c) => isDirectMessage(c));
    expect(textsOf(dm.args.blocks).join('\n')).toContain('<!channel>');
    await expectEverythingInert();
  });

  it('through card updates, thread notes and reporter notices as triagers act on the report', async () => {
    const { id } = await drive.fileReport('V-INJ-2', INJECTED_INTAKE);
    await drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    await drive.click(TRIAGER, CARD_ACTIONS.assignToMe, id, { awaitReply: true });
    await drive.click(TRIAGER, CARD_ACTIONS.severity, id, { selected: 'critical', awaitReply: true });
    await drive.click(TRIAGER, CARD_ACTIONS.status, id, { selected: 'needs_info' });
    await slack.api.waitFor('views.open');
    ack(
      await drive.submitModal(
        TRIAGER,
        CALLBACKS.needsInfo,
        JSON.stringify({ reportId: id }),
        textValues(`Does ${ATTACK} also work on staging?`),
      ),
    );
    await slack.api.waitFor(
      'chat.postMessage',
      (c) => isDirectMessage(c) && contentOf(c).includes('staging'),
    );
    await drive.click(REPORTER, 'reporter_answer', id, { channelId: `D${REPORTER.id}`, blockId: 'dm' });
    await slack.api.waitFor('views.open', (c) =>
      JSON.stringify(c.args.view).includes(CALLBACKS.reporterAnswer),
    );
    ack(
      await drive.submitModal(
        REPORTER,
        CALLBACKS.reporterAnswer,
        JSON.stringify({ reportId: id }),
        textValues(`Answer: ${ATTACK}`),
      ),
    );
    const answerNote = await slack.api.waitFor(
      'chat.postMessage',
      (c) => isThreadNote(c) && contentOf(c).includes('answered'),
    );
    expectCarriesAttackInertly(answerNote);
    expect(String(answerNote.args.text)).toContain('&lt;!channel&gt;');
    ack(
      await drive.submitModal(
        TRIAGER,
        CALLBACKS.reply,
        JSON.stringify({ reportId: id }),
        textValues(`Thanks. Quoting you: ${ATTACK}`),
      ),
    );
    const stored = await db.store.reports.findById(id);
    ack(
      await drive.submitModal(
        TRIAGER,
        CALLBACKS.disclosure,
        JSON.stringify({ reportId: id }),
        dateValues(stored ? addDays(stored.disclosureOn, 30) : ''),
      ),
    );
    await slack.api.waitFor(
      'chat.postMessage',
      (c) => isDirectMessage(c) && contentOf(c).includes('moved from'),
    );
    await drive.settle();

    const updates = slack.api.callsOf('chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(3);
    for (const update of updates) expectCarriesAttackInertly(update);
    expect(slack.api.calls.filter(isThreadNote).length).toBeGreaterThanOrEqual(6);
    expect(slack.api.calls.filter((c) => isDirectMessage(c)).length).toBeGreaterThanOrEqual(4);
    await expectEverythingInert();
  });

  it('in private replies: /vuln show, /vuln list, /vuln reveal, the Show full text button and /report-vuln status', async () => {
    const { id } = await drive.fileReport('V-INJ-3', INJECTED_INTAKE);
    const show = await drive.command(TRIAGER, '/vuln', `show ${id}`);
    expect(show.reply.args.response_type).toBe('ephemeral');
    expectCarriesAttackInertly(show.reply);
    const list = await drive.command(TRIAGER, '/vuln', 'list');
    expect(textsOf(list.reply.args.blocks).join('\n')).toContain(visible(injected('Title')));
    const reveal = await drive.command(TRIAGER, '/vuln', `reveal ${id}`);
    expectCarriesAttackInertly(reveal.reply);
    const button = await drive.click(TRIAGER, CARD_ACTIONS.reveal, id, { awaitReply: true });
    expect(button.reply?.args.response_type).toBe('ephemeral');
    if (button.reply) expectCarriesAttackInertly(button.reply);
    const status = await drive.command(REPORTER, '/report-vuln', 'status');
    expect(textsOf(status.reply.args.blocks).join('\n')).toContain('<!channel>');
    for (const reply of [show.reply, list.reply, reveal.reply, status.reply]) {
      expect(String(reply.args.text)).not.toMatch(/[<>]/);
    }
    await expectEverythingInert();
  });

  it("even in the reporter's Slack user name, shown on the card and in thread notes", async () => {
    const sneaky = { id: 'USNEAKY', name: '<!channel>*admin*' };
    const { id, card } = await drive.fileReport('V-INJ-4', intakeValues(), sneaky);
    expect(textsOf(card.args.blocks).join('\n')).toContain('&lt;!channel&gt;');
    await drive.click(sneaky, 'reporter_answer', id, { channelId: `D${sneaky.id}`, blockId: 'dm' });
    ack(
      await drive.submitModal(
        sneaky,
        CALLBACKS.reporterAnswer,
        JSON.stringify({ reportId: id }),
        textValues('ok'),
      ),
    );
    await slack.api.waitFor('chat.postMessage', (c) => isThreadNote(c) && contentOf(c).includes('answered'));
    await expectEverythingInert();
  });

  it('in the severity guess: refused at the door on its own block, with nothing stored or posted', async () => {
    const res = ack(
      await drive.submitIntake(
        'V-INJ-5',
        intakeValues({ severityGuess: `high ${ATTACKS[0]} ${ATTACKS[4]}` }),
      ),
    );
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: { severityGuess: expect.any(String) },
    });
    expect(Object.keys((res.json as { errors: object }).errors)).toEqual(['severityGuess']);
    const vector = ack(
      await drive.submitIntake('V-INJ-6', intakeValues({ severityGuess: `CVSS:3.1/AV:N/${ATTACKS[0]}` })),
    );
    expect(vector.json).toMatchObject({
      response_action: 'errors',
      errors: { severityGuess: expect.any(String) },
    });
    expect(await db.store.reports.list({})).toHaveLength(0);
    await drive.settle();
    expect(slack.api.callsOf('chat.postMessage').filter(isTriageCardPost)).toHaveLength(0);
    expect(allInertnessProblems([], acks, { formatting: FORMATTING })).toEqual([]);
  });
});

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
