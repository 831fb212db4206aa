import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CARD_ACTIONS } from '../../../src/views/triage-card.ts';
import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';
import { pgliteTestStore, type TestStore } from '../../support/databases.ts';
import { contentOf, type SlackDriver, slackDriver } from './slack-driver.ts';
import { OUTSIDER, type SlackHarness, startSlackHarness, TRIAGER } from './slack-harness.ts';

const GROUP = 'S0TRIAGE';
const MEMBER = { id: 'UBOB', name: 'bob' };

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
  // Nobody on the TRIAGERS allow-list: only the user group can grant triage rights.
  slack = await startSlackHarness(db, {
    triagers: [],
    usergroup: GROUP,
    pacing: false,
    apiOptions: { usergroups: { [GROUP]: [MEMBER.id, TRIAGER.id], SOTHER: [OUTSIDER.id] } },
  });
  drive = slackDriver(slack);
  return () => slack.close();
});

const statusOf = async (id: string) => (await db.store.reports.findById(id))?.status;
const REFUSAL = 'Only the security triage team';

describe('triage rights from a Slack user group (SLACK_TRIAGE_USERGROUP)', () => {
  it('a member of the user group may act on a card', async () => {
    const { id } = await drive.fileReport('V-UG-1');
    const { reply } = await drive.click(MEMBER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    expect(contentOf(reply as RecordedCall)).toContain('bob acknowledged VULN-0001');
    expect(await statusOf(id)).toBe('acknowledged');
    const lookup = await slack.api.waitFor('usergroups.users.list');
    expect(lookup.args.usergroup).toBe(GROUP);
  });

  it('a member may use /vuln commands too', async () => {
    const { id } = await drive.fileReport('V-UG-2');
    const { reply } = await drive.command(MEMBER, '/vuln', `severity ${id} low`);
    expect(contentOf(reply)).toContain('set severity of VULN-0001 to Low');
  });

  it('someone outside the group is refused privately and nothing changes', async () => {
    const { id } = await drive.fileReport('V-UG-3');
    const { reply } = await drive.click(OUTSIDER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    expect(reply?.args.response_type).toBe('ephemeral');
    expect(contentOf(reply as RecordedCall)).toContain(REFUSAL);
    expect(await statusOf(id)).toBe('new');
    const listing = await drive.command(OUTSIDER, '/vuln', 'list');
    expect(contentOf(listing.reply)).toContain(REFUSAL);
    expect(contentOf(listing.reply)).not.toContain('VULN-0001 ·');
  });

  it('a usergroups API failure denies (never grants), even to a member, and is logged for the operator', async () => {
    const { id } = await drive.fileReport('V-UG-4');
    slack.api.respondWith('usergroups.users.list', () => ({ ok: false, error: 'missing_scope' }));
    const refused = await drive.click(MEMBER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    expect(contentOf(refused.reply as RecordedCall)).toContain(REFUSAL);
    expect(await statusOf(id)).toBe('new');
    expect(slack.logger.lines.some((l) => l.level === 'warn' && /usergroup/i.test(l.message))).toBe(true);

    // An HTTP failure of the lookup denies too.
    slack.api.respondWith('usergroups.users.list', () => ({ status: 500, body: 'upstream down' }));
    const again = await drive.click(MEMBER, CARD_ACTIONS.assignToMe, id, { awaitReply: true });
    expect(contentOf(again.reply as RecordedCall)).toContain(REFUSAL);
    expect((await db.store.reports.findById(id))?.assignee).toBeNull();
    expect((await db.store.audit.listForReport(id)).map((e) => e.action)).toEqual(['report.submitted']);

    // Once the API works again, the member is let in.
    slack.api.respondWith('usergroups.users.list', undefined);
    await drive.click(MEMBER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    expect(await statusOf(id)).toBe('acknowledged');
  });

  it('leaving the group takes effect on the next click', async () => {
    const { id } = await drive.fileReport('V-UG-5');
    await drive.click(MEMBER, CARD_ACTIONS.assignToMe, id, { awaitReply: true });
    expect((await slack.core.store.reports.findById(id))?.assignee?.userId).toBe(MEMBER.id);
    slack.api.respondWith('usergroups.users.list', () => ({ ok: true, users: [] }));
    await drive.click(MEMBER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    expect(await statusOf(id)).toBe('new');
  });
});
