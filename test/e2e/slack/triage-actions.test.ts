import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../../adapters/slack/render/modal-views.ts';
import { OUT_OF_SCOPE_WORDING } from '../../../src/views/closing-wording.ts';
import { CARD_ACTIONS } from '../../../src/views/triage-card.ts';
import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';
import { advisoryPath } from '../../support/advisories.ts';
import { pgliteTestStore, type TestStore } from '../../support/databases.ts';
import { intakeValues } from './intake-values.ts';
import {
  contentOf,
  dateValues,
  isDirectMessage,
  isThreadNote,
  type SlackDriver,
  slackDriver,
  textsOf,
  textValues,
} from './slack-driver.ts';
import {
  OUTSIDER,
  REPORTER,
  type SlackHarness,
  startSlackHarness,
  TRIAGE_CHANNEL,
  TRIAGER,
} from './slack-harness.ts';

let db: TestStore;
let slack: SlackHarness;
let drive: SlackDriver;

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
  return () => slack.close();
});

const metadata = (reportId: string) => JSON.stringify({ reportId });

const auditActions = async (id: string) => (await db.store.audit.listForReport(id)).map((e) => e.action);

/** Runs one action and returns the audit rows it added for the report. */
const auditedBy = async (id: string, act: () => Promise<unknown>): Promise<string[]> => {
  const before = (await auditActions(id)).length;
  await act();
  return (await auditActions(id)).slice(before);
};

const statusOf = async (id: string) => (await db.store.reports.findById(id))?.status;

/**
 * The card edit (chat.update of the card's own message) that shows `shown`. Edits are coalesced: two
 * quick changes may reach Slack as one edit showing both, so tests wait for content, not a count.
 */
const cardShowing = async (shown: string | RegExp, reportId = 'VULN-0001'): Promise<RecordedCall> => {
  const card = await db.store.cards.find(reportId, 'slack');
  const matches = (c: RecordedCall) => {
    const text = textsOf(c.args.blocks).join('\n');
    return typeof shown === 'string' ? text.includes(shown) : shown.test(text);
  };
  return slack.api.waitFor(
    'chat.update',
    (c) => c.args.channel === TRIAGE_CHANNEL && c.args.ts === card?.messageId && matches(c),
  );
};

const threadNote = (includes: string) =>
  slack.api.waitFor('chat.postMessage', (c) => isThreadNote(c) && contentOf(c).includes(includes));

const reporterDm = (includes: string, user = REPORTER) =>
  slack.api.waitFor('chat.postMessage', (c) => isDirectMessage(c, user) && contentOf(c).includes(includes));

const openedModal = async (callbackId: string) => {
  const call = await slack.api.waitFor(
    'views.open',
    (c) => (c.args.view as { callback_id?: string }).callback_id === callbackId,
  );
  return call.args.view as {
    callback_id: string;
    private_metadata?: string;
    blocks: Record<string, unknown>[];
  };
};

const ephemeralTo = (user: { id: string }, includes: string) =>
  slack.api.waitFor('chat.postEphemeral', (c) => c.args.user === user.id && contentOf(c).includes(includes));

describe('Slack triage card controls, end to end through signed block_actions', () => {
  it('Acknowledge updates the card in place, notes who did it in the thread, tells the reporter, and audits once', async () => {
    const { id } = await drive.fileReport('V-ACK');
    const rows = await auditedBy(id, () =>
      drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true }),
    );
    expect(rows).toEqual(['report.acknowledged']);
    const card = await db.store.cards.find(id, 'slack');
    const edit = await cardShowing(/\*Status\*\nAcknowledged/);
    expect(edit.args).toMatchObject({ channel: TRIAGE_CHANNEL, ts: card?.messageId });
    // Once acknowledged, the card no longer offers Acknowledge.
    expect(JSON.stringify(edit.args.blocks)).not.toContain(`"action_id":"${CARD_ACTIONS.acknowledge}"`);
    const note = await threadNote('alice acknowledged');
    expect(note.args.thread_ts).toBe(card?.messageId);
    await reporterDm('has acknowledged');
    expect(await statusOf(id)).toBe('acknowledged');
  });

  it('Assign to me shows the clicker as assignee on the card, and audits once', async () => {
    const { id } = await drive.fileReport('V-ASSIGN');
    const rows = await auditedBy(id, () =>
      drive.click(TRIAGER, CARD_ACTIONS.assignToMe, id, { awaitReply: true }),
    );
    expect(rows).toEqual(['report.assigned']);
    expect((await db.store.reports.findById(id))?.assignee).toMatchObject({ userId: TRIAGER.id });
    await cardShowing(/\*Assignee\*\nalice/);
    await threadNote('alice assigned');
  });

  it('the Severity select sets the severity, the card shows it, and it is audited once', async () => {
    const { id } = await drive.fileReport('V-SEV');
    const rows = await auditedBy(id, () =>
      drive.click(TRIAGER, CARD_ACTIONS.severity, id, { selected: 'medium', awaitReply: true }),
    );
    expect(rows).toEqual(['report.severity_set']);
    expect((await db.store.reports.findById(id))?.severity).toBe('medium');
    await cardShowing(/\*Severity\*\nMedium/);
    await threadNote('set severity of VULN-0001 to Medium');
  });

  it('the Status select moves the report, shown on the card and told to the reporter, audited once', async () => {
    const { id } = await drive.fileReport('V-STATUS');
    await drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    const rows = await auditedBy(id, () =>
      drive.click(TRIAGER, CARD_ACTIONS.status, id, { selected: 'triaged', awaitReply: true }),
    );
    expect(rows).toEqual(['report.status_set']);
    expect(await statusOf(id)).toBe('triaged');
    await cardShowing(/\*Status\*\nTriaged/);
    await threadNote('moved VULN-0001 to Triaged');
    await reporterDm('has been triaged');
  });

  it('needs_info asks through a modal, DMs the question with a Reply button, and the answer lands in the thread as the report resumes', async () => {
    const { id } = await drive.fileReport('V-NEEDS');
    await drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });

    // Choosing "Needs more info" only opens the question modal: nothing changes yet.
    const opening = await auditedBy(id, async () => {
      await drive.click(TRIAGER, CARD_ACTIONS.status, id, {
        selected: 'needs_info',
        triggerId: 'trigger-needs',
      });
      await slack.api.waitFor('views.open', (c) => c.args.trigger_id === 'trigger-needs');
    });
    expect(opening).toEqual([]);
    const question = await openedModal(CALLBACKS.needsInfo);
    expect(question.private_metadata).toBe(metadata(id));
    expect(question.blocks.map((b) => b.block_id)).toEqual(['text']);
    expect(await statusOf(id)).toBe('acknowledged');

    const asked = await auditedBy(id, async () => {
      const res = await drive.submitModal(
        TRIAGER,
        CALLBACKS.needsInfo,
        metadata(id),
        textValues('Which tenant did you test?'),
      );
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
    });
    expect(asked).toEqual(['report.status_set']);
    expect(await statusOf(id)).toBe('needs_info');
    const dm = await reporterDm('Which tenant did you test?');
    const replyButton = (dm.args.blocks as Record<string, unknown>[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements as Record<string, unknown>[]);
    expect(replyButton).toMatchObject([{ type: 'button', action_id: 'reporter_answer', value: id }]);
    await ephemeralTo(TRIAGER, 'Needs more info');

    // The reporter clicks Reply in the DM, gets a modal, and answers.
    await drive.click(REPORTER, 'reporter_answer', id, {
      channelId: `D${REPORTER.id}`,
      blockId: 'reply',
      triggerId: 'trigger-answer',
    });
    const answerModal = await openedModal(CALLBACKS.reporterAnswer);
    expect(answerModal.private_metadata).toBe(metadata(id));
    expect(
      (await slack.api.waitFor('views.open', (c) => c.args.trigger_id === 'trigger-answer')).args.trigger_id,
    ).toBe('trigger-answer');
    const answered = await auditedBy(id, async () => {
      const res = await drive.submitModal(
        REPORTER,
        CALLBACKS.reporterAnswer,
        metadata(id),
        textValues('Tenant t-42, on staging.'),
      );
      expect(res.json).toMatchObject({ response_action: 'update' });
      expect(JSON.stringify(res.json)).toContain('sent to the security team');
    });
    expect(answered).toEqual(['report.reporter_answered']);
    const card = await db.store.cards.find(id, 'slack');
    const note = await threadNote('Tenant t-42, on staging.');
    expect(note.args.thread_ts).toBe(card?.messageId);
    expect(contentOf(note)).toContain('The reporter (rita) answered on VULN-0001');
    expect(await statusOf(id)).toBe('acknowledged');
    await cardShowing(/\*Status\*\nNeeds more info/);
    await drive.settle();
    const last = slack.api.callsOf('chat.update').at(-1);
    expect(textsOf(last?.args.blocks).join('\n')).toMatch(/\*Status\*\nAcknowledged/);
  });

  it("the Out of scope select closes the report and the reporter's DM carries the policy's wording", async () => {
    const { id } = await drive.fileReport('V-OOS');
    const rows = await auditedBy(id, () =>
      drive.click(TRIAGER, CARD_ACTIONS.outOfScope, id, { selected: 'denial_of_service', awaitReply: true }),
    );
    expect(rows).toEqual(['report.out_of_scope']);
    const stored = await db.store.reports.findById(id);
    expect(stored).toMatchObject({ status: 'out_of_scope', outOfScopeReason: 'denial_of_service' });
    const dm = await reporterDm('has been closed');
    expect(textsOf(dm.args.blocks).join('\n')).toContain(OUT_OF_SCOPE_WORDING.denial_of_service);
    await cardShowing(/\*Out of scope\*\nDenial of service/);
  });

  it('Disclosure date opens a date picker preset to the current date; a later date is saved, carded and told to the reporter', async () => {
    const { id } = await drive.fileReport('V-DISCLOSE');
    const current = (await db.store.reports.findById(id))?.disclosureOn as string;
    const opening = await auditedBy(id, async () => {
      await drive.click(TRIAGER, CARD_ACTIONS.disclosure, id);
      await openedModal(CALLBACKS.disclosure);
    });
    expect(opening).toEqual([]);
    const modal = await openedModal(CALLBACKS.disclosure);
    expect(modal.private_metadata).toBe(metadata(id));
    expect(modal.blocks[0]).toMatchObject({
      block_id: 'date',
      element: { type: 'datepicker', initial_date: current },
    });

    const later = shiftDay(current, 30);
    const rows = await auditedBy(id, async () => {
      const res = await drive.submitModal(TRIAGER, CALLBACKS.disclosure, metadata(id), dateValues(later));
      expect(res.status).toBe(200);
      expect(res.json).toBeUndefined();
    });
    expect(rows).toEqual(['report.disclosure_date_set']);
    expect((await db.store.reports.findById(id))?.disclosureOn).toBe(later);
    await reporterDm(`moved from ${current} to ${later}`);
    await cardShowing(later);
    await ephemeralTo(TRIAGER, later);
  });

  it('a disclosure date before receipt (or none) is refused on the date block and changes nothing', async () => {
    const { id } = await drive.fileReport('V-DISCLOSE-EARLY');
    const current = (await db.store.reports.findById(id))?.disclosureOn;
    const rows = await auditedBy(id, async () => {
      const early = await drive.submitModal(
        TRIAGER,
        CALLBACKS.disclosure,
        metadata(id),
        dateValues('2020-01-01'),
      );
      expect(early.json).toEqual({
        response_action: 'errors',
        errors: { date: expect.stringContaining('before the report was received') },
      });
      const none = await drive.submitModal(TRIAGER, CALLBACKS.disclosure, metadata(id), dateValues(null));
      expect(none.json).toMatchObject({ response_action: 'errors', errors: { date: expect.any(String) } });
    });
    expect(rows).toEqual([]);
    expect((await db.store.reports.findById(id))?.disclosureOn).toBe(current);
    await drive.settle();
    expect(slack.api.callsOf('chat.update')).toHaveLength(0);
  });

  it('Duplicate of closes a report as a duplicate of an existing one; a missing original or itself is refused on the field', async () => {
    const { id: original } = await drive.fileReport('V-ORIGINAL');
    const { id } = await drive.fileReport('V-DUP', intakeValues({ title: 'Same SQLi again' }), OUTSIDER);
    await drive.click(TRIAGER, CARD_ACTIONS.duplicate, id);
    const modal = await openedModal(CALLBACKS.duplicate);
    expect(modal.private_metadata).toBe(metadata(id));

    const refused = await auditedBy(id, async () => {
      const missing = await drive.submitModal(
        TRIAGER,
        CALLBACKS.duplicate,
        metadata(id),
        textValues('VULN-0099'),
      );
      expect(missing.json).toEqual({
        response_action: 'errors',
        errors: { text: expect.stringContaining('No report VULN-0099') },
      });
      const itself = await drive.submitModal(TRIAGER, CALLBACKS.duplicate, metadata(id), textValues(id));
      expect(itself.json).toMatchObject({
        response_action: 'errors',
        errors: { text: expect.stringContaining('itself') },
      });
    });
    expect(refused).toEqual([]);
    expect(await statusOf(id)).toBe('new');

    const rows = await auditedBy(id, async () => {
      const res = await drive.submitModal(TRIAGER, CALLBACKS.duplicate, metadata(id), textValues('vuln-1'));
      expect(res.status).toBe(200);
      expect(res.json).toBeUndefined();
    });
    expect(rows).toEqual(['report.marked_duplicate']);
    expect(await db.store.reports.findById(id)).toMatchObject({ status: 'duplicate', duplicateOf: original });
    await reporterDm('duplicate', OUTSIDER);
    await cardShowing(/\*Duplicate of\*\nVULN-0001/, id);
    expect(await statusOf(original)).toBe('new');
  });

  it("Reply to reporter sends the modal's text to the reporter by DM with a Reply button, and notes it in the thread", async () => {
    const { id } = await drive.fileReport('V-REPLY');
    await drive.click(TRIAGER, CARD_ACTIONS.reply, id);
    expect((await openedModal(CALLBACKS.reply)).private_metadata).toBe(metadata(id));
    const rows = await auditedBy(id, () =>
      drive.submitModal(
        TRIAGER,
        CALLBACKS.reply,
        metadata(id),
        textValues('Could you share the exact request?'),
      ),
    );
    expect(rows).toEqual(['report.reporter_messaged']);
    const dm = await reporterDm('Could you share the exact request?');
    expect(JSON.stringify(dm.args.blocks)).toContain('"action_id":"reporter_answer"');
    await threadNote('alice wrote to the reporter of VULN-0001: Could you share the exact request?');
    const empty = await drive.submitModal(TRIAGER, CALLBACKS.reply, metadata(id), textValues('   '));
    expect(empty.json).toMatchObject({
      response_action: 'errors',
      errors: { text: expect.stringContaining('empty') },
    });
  });

  it('Show full text shows a long advisory whole, privately to the clicker only, and audits the reveal', async () => {
    const advisory = longAdvisory();
    const description = advisory.details.slice(0, 3000);
    const impact = advisory.details.slice(3000, 6000);
    const { id, card } = await drive.fileReport(
      'V-LONG',
      intakeValues({ title: advisory.summary, description, impact }),
    );
    const cardText = textsOf(card.args.blocks).join('\n');
    expect(cardText).not.toContain(description);
    expect(cardText).toContain('Show full text');

    let reply: RecordedCall | undefined;
    const rows = await auditedBy(id, async () => {
      ({ reply } = await drive.click(TRIAGER, CARD_ACTIONS.reveal, id, { awaitReply: true }));
    });
    expect(rows).toEqual(['report.revealed']);
    expect(reply?.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const sections = ((reply?.args.blocks ?? []) as { type: string; text: { text: string } }[]).filter(
      (b) => b.type === 'section',
    );
    const body = sections.map((s) => s.text.text).join('');
    expect(body.length).toBeGreaterThan(6000);
    expect(body).toContain(description);
    expect(body).toContain(impact);
    // Private: nothing was posted to the channel or thread for the reveal.
    await drive.settle();
    expect(contentOf(reply as RecordedCall)).toContain('only you can see this');
    const posted = [...slack.api.callsOf('chat.postMessage'), ...slack.api.callsOf('chat.postEphemeral')];
    expect(posted.some((c) => contentOf(c).includes('only you can see this'))).toBe(false);
  });

  it('a late or repeated Acknowledge is not a transition: one card update, a private "already" answer, one audit row', async () => {
    const { id } = await drive.fileReport('V-TWICE');
    await drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    await cardShowing(/\*Status\*\nAcknowledged/);
    const second = await drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    expect(second.reply?.args.response_type).toBe('ephemeral');
    expect(contentOf(second.reply as RecordedCall)).toContain('already acknowledged');
    await drive.settle();
    expect(slack.api.callsOf('chat.update')).toHaveLength(1);
    expect(
      slack.api.calls.filter((c) => isThreadNote(c) && contentOf(c).includes('acknowledged')),
    ).toHaveLength(1);
    expect((await auditActions(id)).filter((a) => a === 'report.acknowledged')).toHaveLength(1);
    // The same for a select moved back to what it already shows.
    await drive.click(TRIAGER, CARD_ACTIONS.severity, id, { selected: 'high', awaitReply: true });
    const again = await drive.click(TRIAGER, CARD_ACTIONS.severity, id, {
      selected: 'high',
      awaitReply: true,
    });
    expect(contentOf(again.reply as RecordedCall)).toContain('already has that severity');
    await drive.settle();
    expect(slack.api.callsOf('chat.update')).toHaveLength(2);
  });

  it("a non-triager's forged controls naming someone else's report are refused and change nothing", async () => {
    const { id: own } = await drive.fileReport('V-OWN');
    const { id: victim } = await drive.fileReport(
      'V-VICTIM',
      intakeValues({ title: 'Other report' }),
      OUTSIDER,
    );
    const inDm = { channelId: `D${REPORTER.id}` };

    const rows = await auditedBy(victim, async () => {
      const ack = await drive.click(REPORTER, CARD_ACTIONS.acknowledge, own, {
        ...inDm,
        value: victim,
        awaitReply: true,
      });
      expect(contentOf(ack.reply as RecordedCall)).toContain('Only the security triage team');
      const severity = await drive.click(REPORTER, CARD_ACTIONS.severity, victim, {
        ...inDm,
        blockId: `vuln_card|${victim}`,
        selected: 'none',
        awaitReply: true,
      });
      expect(contentOf(severity.reply as RecordedCall)).toContain('Only the security triage team');
      const reveal = await drive.click(REPORTER, CARD_ACTIONS.reveal, victim, { ...inDm, awaitReply: true });
      expect(contentOf(reveal.reply as RecordedCall)).toContain('Only the security triage team');
      expect(contentOf(reveal.reply as RecordedCall)).not.toContain('Other report');
      const opener = await drive.click(REPORTER, CARD_ACTIONS.disclosure, victim, {
        ...inDm,
        awaitReply: true,
      });
      expect(contentOf(opener.reply as RecordedCall)).toContain('Only the security triage team');
      const modal = await drive.submitModal(REPORTER, CALLBACKS.needsInfo, metadata(victim), textValues('x'));
      expect(modal.json).toMatchObject({
        response_action: 'errors',
        errors: { text: expect.stringContaining('Only') },
      });
      const dup = await drive.submitModal(REPORTER, CALLBACKS.duplicate, metadata(victim), textValues(own));
      expect(dup.json).toMatchObject({ response_action: 'errors' });
      // A reporter may answer only on their own report.
      const answer = await drive.submitModal(
        REPORTER,
        CALLBACKS.reporterAnswer,
        metadata(victim),
        textValues('hi'),
      );
      expect(answer.json).toMatchObject({
        response_action: 'errors',
        errors: { text: expect.stringContaining('No report') },
      });
    });
    expect(rows).toEqual([]);
    expect(await db.store.reports.findById(victim)).toMatchObject({ status: 'new', severity: null });
    await drive.settle();
    expect(slack.api.callsOf('chat.update')).toHaveLength(0);
    expect(slack.api.callsOf('views.open')).toHaveLength(0);
    expect(slack.api.calls.filter(isThreadNote)).toHaveLength(0);
  });
});

const shiftDay = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A real advisory whose details run past two Slack sections (GitHub Advisory Database, CC-BY-4.0). */
const longAdvisory = (): { summary: string; details: string } => {
  const file: string | undefined = advisoryPath('GHSA-62c8-mh53-4cqv');
  if (!file) throw new Error('shared/data/advisories must be beside the repository');
  const advisory = JSON.parse(readFileSync(file, 'utf8')) as { summary: string; details: string };
  expect(advisory.details.length).toBeGreaterThan(6000);
  return advisory;
};

describe('Slack triage modals when the private confirmation cannot be shown', () => {
  it('a saved change stays saved and is not logged as a failure when chat.postEphemeral is refused', async () => {
    const { id } = await drive.fileReport('V-EPHEMERAL');
    slack.api.respondWith('chat.postEphemeral', () => ({ ok: false, error: 'user_not_in_channel' }));
    const current = (await db.store.reports.findById(id))?.disclosureOn as string;
    const later = shiftDay(current, 10);
    const res = await drive.submitModal(TRIAGER, CALLBACKS.disclosure, metadata(id), dateValues(later));
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
    await slack.api.waitFor('chat.postEphemeral');
    expect((await db.store.reports.findById(id))?.disclosureOn).toBe(later);
    await reporterDm(`moved from ${current} to ${later}`);
    expect(slack.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
