import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../adapters/discord/discord-adapter.ts';
import { FAKE_IDS } from '../../fakes/discord/fake-discord.ts';
import {
  generateInteractionKeys,
  modalSubmit,
  option,
  signedHeaders,
  slashCommand,
  subcommand,
} from '../../fakes/discord/interaction-payloads.ts';
import type { TestStore } from '../../support/databases.ts';
import { cachedPgliteStore } from './cached-pglite.ts';
import {
  type DiscordHarness,
  EDIT_ORIGINAL,
  REPORTER_ID,
  startDiscordHarness,
  TRIAGE_CHANNEL,
  TRIAGER_ID,
} from './discord-harness.ts';

const keys = generateInteractionKeys();
const otherKeys = generateInteractionKeys();

// The bot serves HTTP from a thread of its own; the tests' other harnesses serve it on theirs.
describe.each([
  ['served on the bot thread', false],
  ['served from the HTTP thread', true],
])('POST /discord/interactions (HTTP interactions, Ed25519), %s', (_, httpThread) => {
  let db: TestStore;
  let h: DiscordHarness;

  const post = (raw: string, headers: Record<string, string>) =>
    fetch(`${h.baseUrl}/discord/interactions`, { method: 'POST', body: raw, headers });
  const signedPost = (payload: unknown) => {
    const raw = JSON.stringify(payload);
    return post(raw, signedHeaders(keys.privateKey, raw));
  };

  beforeAll(async () => {
    db = await cachedPgliteStore();
    h = await startDiscordHarness(db, { gateway: false, publicKey: keys.publicKeyHex, httpThread });
  });
  afterAll(async () => {
    await h.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.reset();
    h.clear();
  });

  it('is healthy without a gateway: HTTP interactions only', () => {
    expect(h.adapter.health()).toEqual({ connected: true, gateway: 'off', http: true });
    expect([...h.adapter.routes.keys()]).toEqual(['/discord/interactions']);
  });

  it('alerts the operator when the triage channel is visible to everyone, not when it is private', async () => {
    expect(h.adapter.alerts?.()).toEqual([]);
    const publicChannel = createDiscordAdapter(
      { core: h.core, logger: h.logger, wakeOutbox: () => {} },
      { ...h.config, triageChannelId: FAKE_IDS.channel },
    );
    await publicChannel.start();
    expect(publicChannel.alerts?.()).toEqual([expect.stringContaining('visible to everyone in the server')]);
    await publicChannel.stop();
  });

  it('answers a signed PING with PONG', async () => {
    const response = await signedPost({ type: 1, id: '1', token: 't', application_id: '1', version: 1 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
  });

  it('answers /report-vuln with the modal in the HTTP response itself', async () => {
    const response = await signedPost(slashCommand({ name: 'report-vuln', userId: REPORTER_ID }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 9, data: { custom_id: 'report_intake' } });
    expect(h.calls()).toEqual([]);
  });

  it('defers /vuln in the HTTP response and answers through the interaction webhook', async () => {
    const payload = slashCommand({
      name: 'vuln',
      userId: TRIAGER_ID,
      channelId: TRIAGE_CHANNEL,
      options: [subcommand('list', [option('filter', 'open')])],
    });
    const response = await signedPost(payload);
    expect(await response.json()).toEqual({ type: 5, data: { flags: 64 } });
    const answer = await h.fake.rest.waitFor(EDIT_ORIGINAL, (c) => c.params.token === payload.token);
    expect(answer.headers.authorization).toBeUndefined();
    expect(answer.body).toMatchObject({
      content: expect.stringContaining('Nothing to show'),
      allowed_mentions: { parse: [] },
    });
  });

  it('refuses a bad signature, a tampered body and another key with 401', async () => {
    const raw = JSON.stringify(slashCommand({ name: 'report-vuln' }));
    const headers = signedHeaders(keys.privateKey, raw);
    expect((await post(raw.replace('report-vuln', 'vuln'), headers)).status).toBe(401);
    expect((await post(raw, signedHeaders(otherKeys.privateKey, raw))).status).toBe(401);
    const flipped = headers['X-Signature-Ed25519']?.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) ?? '';
    expect((await post(raw, { ...headers, 'X-Signature-Ed25519': flipped })).status).toBe(401);
    expect(h.calls()).toEqual([]);
  });

  it('refuses malformed signature headers with 401, never 500', async () => {
    const raw = JSON.stringify({ type: 1 });
    const good = signedHeaders(keys.privateKey, raw);
    const cases: Record<string, string>[] = [
      { 'Content-Type': 'application/json' },
      { ...good, 'X-Signature-Ed25519': 'not-hex' },
      { ...good, 'X-Signature-Ed25519': 'ab'.repeat(63) },
      { ...good, 'X-Signature-Ed25519': 'zz'.repeat(64) },
      { ...good, 'X-Signature-Timestamp': 'yesterday' },
      { ...good, 'X-Signature-Timestamp': '9'.repeat(40) },
      { ...good, 'X-Signature-Timestamp': '' },
    ];
    for (const headers of cases) expect((await post(raw, headers)).status).toBe(401);
  });

  it('refuses a correctly signed request more than five minutes old or ahead', async () => {
    const raw = JSON.stringify({ type: 1 });
    const at = (offsetSeconds: number) => String(Math.floor(Date.now() / 1000) + offsetSeconds);
    expect((await post(raw, signedHeaders(keys.privateKey, raw, at(-301)))).status).toBe(401);
    // Ten seconds past the future edge: the server reads its clock after the test does.
    expect((await post(raw, signedHeaders(keys.privateKey, raw, at(310)))).status).toBe(401);
    expect((await post(raw, signedHeaders(keys.privateKey, raw, at(-200)))).status).toBe(200);
  });

  it('handles the same interaction ID once: one report, the repeat refused with 409', async () => {
    const payload = modalSubmit({
      customId: 'report_intake',
      userId: REPORTER_ID,
      fields: {
        title: 'Open redirect',
        asset: ['web app'],
        description: 'GET /go?to=https://evil',
        impact: 'Phishing',
      },
    });
    const first = await signedPost(payload);
    expect(await first.json()).toEqual({ type: 5, data: { flags: 64 } });
    const again = await signedPost(payload);
    expect(again.status).toBe(409);
    await h.adapter.router.idle();
    expect((await h.core.store.reports.list({})).map((r) => r.title)).toEqual(['Open redirect']);
    const confirmation = await h.fake.rest.waitFor(EDIT_ORIGINAL, (c) => c.params.token === payload.token);
    expect((confirmation.body as { content: string }).content).toContain('VULN-0001');
  });

  it('answers a signed body that is not JSON with 400', async () => {
    const raw = '{"type": 2,';
    expect((await post(raw, signedHeaders(keys.privateKey, raw))).status).toBe(400);
  });
});
