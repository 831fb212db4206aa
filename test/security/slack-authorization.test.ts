import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../adapters/slack/render/modal-views.ts';
import { CARD_ACTIONS } from '../../src/views/triage-card.ts';
import {
  contentOf,
  dateValues,
  isDirectMessage,
  type SlackDriver,
  slackDriver,
  textValues,
} from '../e2e/slack/slack-driver.ts';
import {
  OUTSIDER,
  REPORTER,
  type SlackHarness,
  startSlackHarness,
  TRIAGER,
} from '../e2e/slack/slack-harness.ts';
import type { RecordedCall } from '../fakes/slack/fake-slack-api.ts';
import { metadata } from './support/slack.ts';
import { pgliteSqlStore, type SqlTestStore } from './support/stores.ts';

const BOB = { id: 'UBOB', name: 'bob' };
/** A second reporter, who is not a triager either. */
const MALLORY = OUTSIDER;
const REFUSAL = 'Only the security triage team';

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
  slack = await startSlackHarness(db, {
    pacing: false,
    triagers: [`slack:${TRIAGER.id}`, `slack:${BOB.id}`],
  });
  drive = slackDriver(slack);
  return () => slack.close();
});

/** The report, its audit trail and the outbox rows that concern it: all must stay as they were. */
const snapshot = async (id: string) => ({
  report: await db.store.reports.findById(id),
  audit: (await db.store.audit.listForReport(id)).map((e) => e.action),
  pendingOutbox: (await db.store.outbox.stats()).pending,
});

const textOfReply = (reply: RecordedCall | undefined) => contentOf(reply as RecordedCall);

describe('triage actions are judged by who acts and on which report, never by the payload', () => {
  const buttons = [
    CARD_ACTIONS.acknowledge,
    CARD_ACTIONS.assignToMe,
    CARD_ACTIONS.reveal,
    CARD_ACTIONS.disclosure,
    CARD_ACTIONS.duplicate,
    CARD_ACTIONS.reply,
  ];
  const selects: [string, string][] = [
    [CARD_ACTIONS.severity, 'critical'],
    [CARD_ACTIONS.status, 'fixed'],
    [CARD_ACTIONS.status, 'needs_info'],
    [CARD_ACTIONS.outOfScope, 'third_party'],
  ];

  it('a non-triager clicking any card button with a forged value naming another report is refused, and nothing changes', async () => {
    await drive.fileReport('V-AUTH-1');
    const { id: target } = await drive.fileReport('V-AUTH-2', undefined, MALLORY);
    await drive.settle();
    const before = await snapshot(target);
    for (const action of buttons) {
      // The click comes from report 1's card (its block ID) but its value names report 2.
      const { reply } = await drive.click(MALLORY, action, 'VULN-0001', { value: target, awaitReply: true });
      expect(reply?.args.response_type).toBe('ephemeral');
      expect(textOfReply(reply)).toContain(REFUSAL);
    }
    await drive.settle();
    expect(await snapshot(target)).toEqual(before);
    expect(slack.api.callsOf('views.open')).toEqual([]);
  });

  it('a non-triager using a select with a forged block ID naming another report is refused, and nothing changes', async () => {
    await drive.fileReport('V-AUTH-3');
    const { id: target } = await drive.fileReport('V-AUTH-4');
    await drive.settle();
    const before = await snapshot(target);
    for (const [action, selected] of selects) {
      const { reply } = await drive.click(MALLORY, action, target, {
        selected,
        blockId: `vuln_card|${target}`,
        awaitReply: true,
      });
      expect(textOfReply(reply)).toContain(REFUSAL);
    }
    await drive.settle();
    expect(await snapshot(target)).toEqual(before);
    expect(slack.api.callsOf('views.open')).toEqual([]);
  });

  it('a non-triager submitting a triage modal with forged private_metadata is refused on the form, and nothing changes', async () => {
    const { id: target } = await drive.fileReport('V-AUTH-5');
    await drive.settle();
    const before = await snapshot(target);
    const forms: [string, ReturnType<typeof textValues>][] = [
      [CALLBACKS.disclosure, dateValues('2027-01-01')],
      [CALLBACKS.duplicate, textValues('VULN-0001')],
      [CALLBACKS.reply, textValues('Please send us your password')],
      [CALLBACKS.needsInfo, textValues('Tell me more')],
    ];
    for (const [callback, values] of forms) {
      const res = await drive.submitModal(MALLORY, callback, metadata(target), values);
      expect(res.json).toMatchObject({ response_action: 'errors' });
      expect(JSON.stringify(res.json)).toContain(REFUSAL);
    }
    await drive.settle();
    expect(await snapshot(target)).toEqual(before);
    expect(
      slack.api.callsOf('chat.postMessage').filter((c) => contentOf(c).includes('send us your password')),
    ).toEqual([]);
  });

  it('a non-triager gets the same refusal for an existing and a missing report (no existence oracle)', async () => {
    await drive.fileReport('V-AUTH-6');
    for (const command of ['show', 'ack', 'reveal']) {
      const existing = await drive.command(MALLORY, '/vuln', `${command} VULN-0001`);
      const missing = await drive.command(MALLORY, '/vuln', `${command} VULN-0099`);
      expect(textOfReply(existing.reply)).toContain(REFUSAL);
      expect(textOfReply(existing.reply)).toBe(textOfReply(missing.reply));
    }
  });

  it('removing a triager from the list takes effect on their very next click', async () => {
    const { id } = await drive.fileReport('V-AUTH-7');
    const first = await drive.click(BOB, CARD_ACTIONS.assignToMe, id, { awaitReply: true });
    expect(textOfReply(first.reply)).toContain('bob assigned');

    slack.triagers.splice(slack.triagers.indexOf(`slack:${BOB.id}`), 1);
    await drive.settle();
    const before = await snapshot(id);
    const refused = await drive.click(BOB, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    expect(textOfReply(refused.reply)).toContain(REFUSAL);
    const typed = await drive.command(BOB, '/vuln', `severity ${id} low`);
    expect(textOfReply(typed.reply)).toContain(REFUSAL);
    await drive.settle();
    expect(await snapshot(id)).toEqual(before);

    slack.triagers.push(`slack:${BOB.id}`);
    const back = await drive.click(BOB, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    expect(textOfReply(back.reply)).toContain('bob acknowledged');
  });
});

describe('reporters see only their own reports', () => {
  it('/report-vuln status lists the asker’s reports and never anyone else’s', async () => {
    await drive.fileReport('V-OWN-1');
    await drive.fileReport('V-OWN-2', undefined, MALLORY);
    const rita = textOfReply((await drive.command(REPORTER, '/report-vuln', 'status')).reply);
    const mallory = textOfReply((await drive.command(MALLORY, '/report-vuln', 'status')).reply);
    const nobody = textOfReply(
      (await drive.command({ id: 'UNOBODY', name: 'nobody' }, '/report-vuln', 'status')).reply,
    );
    expect(rita).toContain('VULN-0001');
    expect(rita).not.toContain('VULN-0002');
    expect(mallory).toContain('VULN-0002');
    expect(mallory).not.toContain('VULN-0001');
    expect(nobody).toContain('You have not filed any reports');
    expect(nobody).not.toMatch(/VULN-000[12]/);
  });

  it("answering on someone else's report gets the same answer as a report that does not exist, and reaches nobody", async () => {
    await drive.fileReport('V-OWN-3');
    await drive.fileReport('V-OWN-4', undefined, MALLORY);
    await drive.settle();
    const before = await snapshot('VULN-0002');
    const notes = slack.api.callsOf('chat.postMessage').length;
    const others = await drive.submitModal(
      REPORTER,
      CALLBACKS.reporterAnswer,
      metadata('VULN-0002'),
      textValues('hi'),
    );
    const missing = await drive.submitModal(
      REPORTER,
      CALLBACKS.reporterAnswer,
      metadata('VULN-0099'),
      textValues('hi'),
    );
    expect(others.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(others.json).replaceAll('VULN-0002', 'VULN-X')).toBe(
      JSON.stringify(missing.json).replaceAll('VULN-0099', 'VULN-X'),
    );
    await drive.settle();
    expect(await snapshot('VULN-0002')).toEqual(before);
    expect(slack.api.callsOf('chat.postMessage')).toHaveLength(notes);
  });
});

describe('reporter notices carry only what a reporter may see', () => {
  it('after internal notes and triage discussion, no DM to the reporter holds a note or who said it', async () => {
    const { id } = await drive.fileReport('V-NOTICE-1');
    const NOTE_1 = 'internal-note-6d2f: looks like our staging bucket';
    const NOTE_2 = 'internal-note-9a1c: bob thinks it is a duplicate of the 2023 issue';
    await drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    await drive.command(TRIAGER, '/vuln', `note ${id} ${NOTE_1}`);
    await drive.command(BOB, '/vuln', `assign ${id}`);
    await drive.command(BOB, '/vuln', `note ${id} ${NOTE_2}`);
    await drive.command(TRIAGER, '/vuln', `severity ${id} CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N`);
    await drive.click(TRIAGER, CARD_ACTIONS.status, id, { selected: 'triaged', awaitReply: true });
    await drive.command(TRIAGER, '/vuln', `disclose ${id} +30d`);
    await drive.command(TRIAGER, '/vuln', `reply ${id} Thanks, we reproduced it.`);
    await drive.command(TRIAGER, '/vuln', `status ${id} fixing`);
    await drive.command(TRIAGER, '/vuln', `status ${id} fixed`);
    await drive.settle();

    const dms = slack.api.callsOf('chat.postMessage').filter((c) => isDirectMessage(c, REPORTER));
    const texts = dms.map(contentOf);
    // The reporter was kept informed (received, acknowledged, triaged, date, message, fixing, fixed)...
    expect(texts.some((t) => t.includes('has acknowledged'))).toBe(true);
    expect(texts.some((t) => t.includes('Thanks, we reproduced it.'))).toBe(true);
    expect(texts.some((t) => t.includes('has been fixed'))).toBe(true);
    // ...but never saw the team's notes, who wrote them, or who is assigned.
    for (const text of texts) {
      expect(text).not.toContain('internal-note');
      expect(text).not.toContain('noted on');
      expect(text).not.toMatch(/\balice\b|\bbob\b|UALICE|UBOB/);
    }
    // The notes themselves did reach the triage thread.
    const thread = slack.api
      .callsOf('chat.postMessage')
      .filter((c) => c.args.thread_ts !== undefined)
      .map(contentOf);
    expect(thread.some((t) => t.includes('internal-note-6d2f'))).toBe(true);
    // And nothing ever queued for the reporter, delivered or not, holds them.
    const queued = await db.query<{ payload: string }>(
      `select payload::text as payload from outbox where destination = $1`,
      [`user:${REPORTER.id}`],
    );
    expect(queued.length).toBe(dms.length);
    for (const { payload } of queued) expect(payload).not.toContain('internal-note');
  });
});

describe('per-reporter rate limit on new reports', () => {
  it('refuses the reports over REPORTS_PER_HOUR with a clear message on the form, stores none of them, and leaves others alone', async () => {
    Object.assign(slack.core, { reportsPerHour: 2 });
    await drive.fileReport('V-RATE-1');
    await drive.fileReport('V-RATE-2');
    const third = await drive.submitIntake('V-RATE-3');
    expect(third.status).toBe(200);
    expect(third.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(third.json)).toMatch(/2 reports in the last hour.*not lost/);
    const reports = await db.store.reports.list({});
    expect(reports.map((r) => r.id)).toEqual(['VULN-0001', 'VULN-0002']);
    // Someone else can still report.
    const other = await drive.fileReport('V-RATE-OTHER', undefined, MALLORY);
    expect(other.id).toBe('VULN-0003');
    // A resubmission of an already stored form is not a new report: it is answered, not refused.
    const again = await drive.submitIntake('V-RATE-1');
    expect(JSON.stringify(again.json)).toContain('VULN-0001');
    expect(await db.store.reports.list({})).toHaveLength(3);
  });
});
