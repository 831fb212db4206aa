import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../adapters/slack/render/modal-views.ts';
import { CARD_ACTIONS } from '../../src/views/triage-card.ts';
import {
  contentOf,
  isDirectMessage,
  isThreadNote,
  type SlackDriver,
  slackDriver,
  textValues,
} from '../e2e/slack/slack-driver.ts';
import {
  OUTSIDER,
  REPORTER,
  type SlackHarness,
  startSlackHarness,
  TRIAGE_CHANNEL,
  TRIAGER,
} from '../e2e/slack/slack-harness.ts';
import type { RecordedCall } from '../fakes/slack/fake-slack-api.ts';
import { FAKE } from './support/secrets.ts';
import {
  metadata,
  PLANTED,
  postDigestNow,
  SECRET_REPORT,
  secretIntake,
  secretsIn,
  wholeCall,
} from './support/slack.ts';
import { pgliteSqlStore, type SqlTestStore } from './support/stores.ts';

let db: SqlTestStore;
let slack: SlackHarness;
let drive: SlackDriver;

beforeAll(async () => {
  db = await pgliteSqlStore();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  slack = await startSlackHarness(db, { pacing: false });
  drive = slackDriver(slack);
  return () => slack.close();
});

const auditActions = async (id: string) => (await db.store.audit.listForReport(id)).map((e) => e.action);

const expectMasked = (content: string) => {
  expect(secretsIn(content)).toEqual([]);
};

describe('a report carrying secrets, end to end on Slack', () => {
  it('reaches the triage card masked, with typed placeholders and a "Masked" field', async () => {
    const { card } = await drive.fileReport('V-MASK-CARD', secretIntake());
    const content = contentOf(card);
    expectMasked(content);
    for (const { placeholder } of PLANTED) expect(content).toContain(placeholder);
    expect(content).toMatch(/\*Masked\*\\n[^"]*Slack token[^"]*AWS access key[^"]*Show full text/);
    // The rest of the reporter's text is still there for triage.
    expect(content).toContain('impact-phrase-7c1e');
  });

  it('stays masked in thread notes, the reporter answer, the digest, /vuln show and /vuln list', async () => {
    const { id } = await drive.fileReport('V-MASK-ALL', secretIntake());
    // A triager's internal note quoting the secret.
    await drive.command(TRIAGER, '/vuln', `note ${id} checked ${FAKE.awsAccessKey}, still valid`);
    // The reporter answers a question and pastes the token again.
    await drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    await drive.click(TRIAGER, CARD_ACTIONS.status, id, { selected: 'needs_info' });
    await slack.api.waitFor('views.open');
    await drive.submitModal(TRIAGER, CALLBACKS.needsInfo, metadata(id), textValues('Which key exactly?'));
    const answer = await drive.submitModal(
      REPORTER,
      CALLBACKS.reporterAnswer,
      metadata(id),
      textValues(`This one: ${FAKE.slackBotToken} and ${FAKE.jwt}`),
    );
    expect(answer.status).toBe(200);
    // A disclosure date within a week puts the report (and its title) in the digest.
    await drive.command(TRIAGER, '/vuln', `disclose ${id} +5d`);
    await postDigestNow(slack);
    const digest = await slack.api.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === TRIAGE_CHANNEL && contentOf(c).includes('Security digest'),
    );
    expect(contentOf(digest)).toContain(`${id} · `);
    expect(contentOf(digest)).toContain('[redacted: Slack token]');
    expectMasked(contentOf(digest));

    const noteOfAnswer = await slack.api.waitFor(
      'chat.postMessage',
      (c) => isThreadNote(c) && contentOf(c).includes('answered on'),
    );
    expect(contentOf(noteOfAnswer)).toContain('[redacted: Slack token]');
    const internalNote = await slack.api.waitFor(
      'chat.postMessage',
      (c) => isThreadNote(c) && contentOf(c).includes('noted on'),
    );
    expect(contentOf(internalNote)).toContain('[redacted: AWS access key]');

    const shown = await drive.command(TRIAGER, '/vuln', `show ${id}`);
    expect(contentOf(shown.reply)).toContain('[redacted: AWS access key]');
    expectMasked(contentOf(shown.reply));
    const listed = await drive.command(TRIAGER, '/vuln', 'list');
    expect(contentOf(listed.reply)).toContain('[redacted: Slack token]');
    expectMasked(contentOf(listed.reply));
    const status = await drive.command(REPORTER, '/report-vuln', 'status');
    expectMasked(contentOf(status.reply));

    await drive.settle();
    // Nothing the bot sent to Slack, by any method, showed a secret (no reveal was asked for).
    const leaks = slack.api.calls.filter((c) => secretsIn(wholeCall(c)).length > 0);
    expect(leaks.map((c) => wholeCall(c))).toEqual([]);
    const notes = slack.api.callsOf('chat.postMessage').filter(isThreadNote);
    expect(notes.length).toBeGreaterThanOrEqual(4);
  });

  it('reveal shows the full text only to the triager who asked, privately, and audits it', async () => {
    const { id } = await drive.fileReport('V-MASK-REVEAL', secretIntake());
    const { reply } = await drive.click(TRIAGER, CARD_ACTIONS.reveal, id, { awaitReply: true });
    const revealed = reply as RecordedCall;
    expect(revealed.args.response_type).toBe('ephemeral');
    expect(revealed.args.replace_original).toBe(false);
    const text = contentOf(revealed);
    for (const { secret } of PLANTED.slice(1)) expect(text).toContain(secret);
    expect(await auditActions(id)).toEqual(['report.submitted', 'report.revealed']);
    const [, event] = await db.store.audit.listForReport(id);
    expect(event?.actor).toMatchObject({ platform: 'slack', userId: TRIAGER.id });

    // The same through the keyboard, and only privately.
    const typed = await drive.command(TRIAGER, '/vuln', `reveal ${id}`);
    expect(typed.reply.args.response_type).toBe('ephemeral');
    expect(contentOf(typed.reply)).toContain(FAKE.slackBotToken);
    expect(await auditActions(id)).toEqual(['report.submitted', 'report.revealed', 'report.revealed']);

    // Nothing revealed went anywhere else: no channel message, DM or ephemeral post holds a secret.
    await drive.settle();
    const posted = slack.api.calls.filter((c) => c.method !== 'response_url');
    expect(posted.filter((c) => secretsIn(wholeCall(c)).length > 0)).toEqual([]);
  });

  it('reveal is refused to someone who is not a triager, and nothing is audited', async () => {
    const { id } = await drive.fileReport('V-MASK-NOREVEAL', secretIntake());
    const { reply } = await drive.click(OUTSIDER, CARD_ACTIONS.reveal, id, { awaitReply: true });
    expect(contentOf(reply as RecordedCall)).toContain('Only the security triage team');
    expectMasked(contentOf(reply as RecordedCall));
    const typed = await drive.command(OUTSIDER, '/vuln', `reveal ${id}`);
    expectMasked(contentOf(typed.reply));
    expect(await auditActions(id)).toEqual(['report.submitted']);
  });

  it('tells the reporter, privately, that a secret was found and must be rotated', async () => {
    const { response } = await drive.fileReport('V-MASK-ROTATE', secretIntake());
    expect(JSON.stringify(response.json)).toMatch(/rotate/);
    const dm = await slack.api.waitFor(
      'chat.postMessage',
      (c) => isDirectMessage(c, REPORTER) && contentOf(c).includes('rotate'),
    );
    expect(contentOf(dm)).toMatch(/secret \(Slack token, AWS access key, JWT, password\)/);
    expectMasked(contentOf(dm));
    expectMasked(JSON.stringify(response.json));
  });

  it('does not tell a reporter without secrets to rotate anything', async () => {
    const { response } = await drive.fileReport('V-MASK-CLEAN');
    expect(JSON.stringify(response.json)).not.toMatch(/rotate/);
  });

  it('keeps the exact text in the database', async () => {
    const { id } = await drive.fileReport('V-MASK-STORED', secretIntake());
    const stored = await db.store.reports.findById(id);
    expect(stored).toMatchObject({
      title: SECRET_REPORT.title,
      description: SECRET_REPORT.description,
      impact: SECRET_REPORT.impact,
    });
    // Read past the repository too: the row itself holds the unmasked text (no encryption configured).
    const [row] = await db.query<{ title: string; description: string }>(
      'select title, description from reports where id = $1',
      [id],
    );
    expect(row).toEqual({ title: SECRET_REPORT.title, description: SECRET_REPORT.description });
  });
});
