import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordDelivery, DISCORD_PACING } from '../../../adapters/discord/discord-delivery.ts';
import { createDiscordRest } from '../../../adapters/discord/discord-rest.ts';
import type { DeliveryItem } from '../../../src/ports/chat-delivery.ts';
import type { CardRef, OutboxMessage } from '../../../src/ports/store.ts';
import type { OutboxPayload } from '../../../src/views/outbox-payload.ts';
import { triageCardView } from '../../../src/views/triage-card.ts';
import { discordError, FAKE_IDS, FAKE_TOKEN, rateLimited } from '../../fakes/discord/fake-discord.ts';
import type { TestStore } from '../../support/databases.ts';
import { cachedPgliteStore } from './cached-pglite.ts';
import {
  CREATE_MESSAGE,
  contentOf,
  type DiscordHarness,
  EDIT_MESSAGE,
  memoryLogger,
  OPEN_DM,
  REPORTER_ID,
  START_THREAD,
  startDiscordHarness,
  submitReportModal,
  TRIAGE_CHANNEL,
} from './discord-harness.ts';

const message = (
  payload: OutboxPayload,
  destination = 'triage',
  reportId: string | null = 'VULN-0001',
): OutboxMessage => ({
  id: 1,
  platform: 'discord',
  destination,
  reportId,
  payload,
  state: 'pending',
  attempts: 0,
  lastError: null,
  createdAt: new Date(),
  nextAttemptAt: new Date(),
});

describe('Discord delivery of outbox messages (real discord.js REST against the fake)', () => {
  let db: TestStore;
  let h: DiscordHarness;
  let card: CardRef;

  const item = async (
    payload: OutboxPayload,
    destination?: string,
    withCard = true,
  ): Promise<DeliveryItem> => {
    const report = await db.store.reports.findById('VULN-0001');
    return {
      message: message(payload, destination),
      report,
      card: withCard ? card : null,
      cardView:
        payload.type === 'triage_card' && report ? triageCardView(report, h.core.policy, new Date()) : null,
      lookupCard: (id) => db.store.cards.find(id, 'discord'),
    };
  };
  const note: OutboxPayload = { type: 'thread_note', text: 'alice acknowledged VULN-0001.' };
  const notice: OutboxPayload = {
    type: 'reporter_notice',
    notice: {
      kind: 'acknowledged',
      reportId: 'VULN-0001',
      title: 'SQL injection',
      lines: ['Acknowledged.'],
      canReply: false,
    },
  };

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
    card = (await db.store.cards.find('VULN-0001', 'discord')) as CardRef;
    h.clear();
  });

  it('falls back to a note on the card’s thread when the reporter does not accept DMs (50007)', async () => {
    h.fake.rest.respondOnce(CREATE_MESSAGE, discordError(403, 50007, 'Cannot send messages to this user'));
    const outcome = await h.adapter.delivery.deliver(await item(notice, `user:${REPORTER_ID}`));
    expect(outcome).toEqual({ status: 'delivered' });
    const [refused, fallback] = h.calls(CREATE_MESSAGE);
    expect(refused?.injected).toBe(403);
    expect(fallback?.params.id).toBe(card.threadId);
    expect(contentOf(fallback)).toContain('Could not send a direct message to the reporter of VULN-0001');
    expect(contentOf(fallback)).toContain('Acknowledged.');
  });

  it('sorts failures: rate limits, 5xx and network errors retry; 403, 404 and invalid bodies are parked', async () => {
    const cases: [ReturnType<typeof discordError>, string][] = [
      [{ status: 500, body: { message: 'oops', code: 0 } }, 'retry'],
      [{ status: 502, body: { message: 'bad gateway', code: 0 } }, 'retry'],
      [discordError(403, 50001, 'Missing Access'), 'failed'],
      [discordError(404, 10003, 'Unknown Channel'), 'failed'],
      [discordError(400, 50035, 'Invalid Form Body'), 'failed'],
    ];
    for (const [response, status] of cases) {
      h.fake.rest.respondOnce(CREATE_MESSAGE, response);
      const outcome = await h.adapter.delivery.deliver(
        await item({ type: 'channel_text', title: 'T', lines: ['x'] }),
      );
      expect(outcome.status, `${response.status}`).toBe(status);
      if (outcome.status !== 'delivered') expect(outcome.error).toMatch(/^discord\.(http_)?\d{3}/);
    }
    // No request was retried inside discord.js: one call per case.
    expect(h.calls(CREATE_MESSAGE)).toHaveLength(cases.length);

    const offline = createDiscordDelivery({
      rest: createDiscordRest({ apiBase: 'http://127.0.0.1:9/api', botToken: FAKE_TOKEN }),
      config: { triageChannelId: TRIAGE_CHANNEL, guildId: FAKE_IDS.guild },
      logger: memoryLogger(),
    });
    expect(
      await offline.deliver(await item({ type: 'channel_text', title: 'T', lines: ['x'] })),
    ).toMatchObject({
      status: 'retry',
    });
  });

  it('parks messages once the token is refused (401): discord.js forgets a refused token', async () => {
    const delivery = createDiscordDelivery({
      rest: createDiscordRest({ apiBase: h.fake.apiBase, botToken: FAKE_TOKEN }),
      config: { triageChannelId: TRIAGE_CHANNEL, guildId: FAKE_IDS.guild },
      logger: memoryLogger(),
    });
    h.fake.rest.respondOnce(CREATE_MESSAGE, discordError(401, 0, '401: Unauthorized'));
    const text: OutboxPayload = { type: 'channel_text', title: 'T', lines: ['x'] };
    expect(await delivery.deliver(await item(text))).toEqual({ status: 'failed', error: 'discord.401.0' });
    expect(await delivery.deliver(await item(text))).toEqual({
      status: 'failed',
      error: 'discord.token_missing',
    });
  });

  it('gives a 429 back to the outbox at once, with Discord’s retry-after, instead of waiting in discord.js', async () => {
    // A separate REST manager: the 429 leaves its bucket limited for the retry-after.
    const delivery = createDiscordDelivery({
      rest: createDiscordRest({ apiBase: h.fake.apiBase, botToken: FAKE_TOKEN }),
      config: { triageChannelId: TRIAGE_CHANNEL, guildId: FAKE_IDS.guild },
      logger: memoryLogger(),
    });
    h.fake.rest.respondOnce(CREATE_MESSAGE, rateLimited(5));
    const started = Date.now();
    const outcome = await delivery.deliver(await item(note));
    // Well short of the 5 s retry-after that discord.js would wait, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(outcome).toMatchObject({ status: 'retry', error: 'discord.rate_limited' });
    expect(outcome.status === 'retry' && outcome.retryAfterMs).toBeGreaterThanOrEqual(5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.calls(CREATE_MESSAGE)).toHaveLength(1);
    expect(delivery.pacing).toEqual(DISCORD_PACING);
  });

  it('re-posts a card a moderator deleted (10008) and returns the new card', async () => {
    h.fake.rest.respondOnce(EDIT_MESSAGE, discordError(404, 10008, 'Unknown Message'));
    const outcome = await h.adapter.delivery.deliver(await item({ type: 'triage_card' }));
    expect(outcome.status).toBe('delivered');
    const posted = h.calls(CREATE_MESSAGE)[0];
    expect(posted?.params.id).toBe(TRIAGE_CHANNEL);
    expect(outcome.status === 'delivered' && outcome.card?.messageId).not.toBe(card.messageId);
  });

  it('opens a thread on demand when the card has none, and holds notes until the card exists', async () => {
    const outcome = await h.adapter.delivery.deliver({
      ...(await item(note)),
      card: { ...card, threadId: null },
    });
    expect(h.calls(START_THREAD)).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'delivered', card: { threadId: expect.any(String) } });
    const posts = h.calls(CREATE_MESSAGE).length;
    const waiting = await h.adapter.delivery.deliver(await item(note, 'triage', false));
    expect(waiting).toEqual({ status: 'retry', error: 'card_not_posted' });
    expect(h.calls(CREATE_MESSAGE)).toHaveLength(posts);
  });

  it('sends a nonce with enforce_nonce on every new message, so a repeated post is not duplicated', async () => {
    await h.adapter.delivery.deliver(await item(note));
    const body = h.calls(CREATE_MESSAGE).at(-1)?.body as { nonce?: string; enforce_nonce?: boolean };
    expect(body.nonce).toMatch(/^vd-\d+$/);
    expect(body.enforce_nonce).toBe(true);
  });

  it('posts the digest with links to known cards, and a user-addressed text as a DM', async () => {
    const digest: OutboxPayload = {
      type: 'digest',
      digest: {
        title: 'Security digest for 2026-11-26',
        day: '2026-11-26',
        sections: [
          {
            heading: 'Acknowledgement overdue',
            items: [{ reportId: 'VULN-0001', text: 'VULN-0001 · High · due 2026-11-20 · @everyone' }],
          },
        ],
        lines: [],
      },
    };
    await h.adapter.delivery.deliver(await item(digest, 'triage', false));
    const posted = h.calls(CREATE_MESSAGE).at(-1)?.body as {
      embeds: { description: string }[];
      allowed_mentions: unknown;
    };
    expect(posted.embeds[0]?.description).toContain(
      `([card](https://discord.com/channels/${FAKE_IDS.guild}/${TRIAGE_CHANNEL}/${card.messageId}))`,
    );
    expect(posted.embeds[0]?.description).not.toContain('@everyone');
    await h.adapter.delivery.deliver(
      await item({ type: 'channel_text', title: 'Reminder', lines: ['hi'] }, `user:${REPORTER_ID}`),
    );
    const dm = h.calls(CREATE_MESSAGE).at(-1);
    expect(dm?.params.id).not.toBe(TRIAGE_CHANNEL);
    expect(contentOf(dm)).toContain('Reminder');
    expect(h.fake.rest.calls.filter((c) => c.route === OPEN_DM).map((c) => c.body)).toContainEqual({
      recipient_id: REPORTER_ID,
    });
  });
});
