import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardBlocks, cardFallbackText } from '../../adapters/slack/render/card-blocks.ts';
import { digestBlocks } from '../../adapters/slack/render/digest-blocks.ts';
import { escapeMrkdwn } from '../../adapters/slack/render/escape.ts';
import {
  channelTextMessage,
  noticeMessage,
  replyMessage,
  threadNoteMessage,
} from '../../adapters/slack/render/message-blocks.ts';
import { confirmationModal } from '../../adapters/slack/render/modal-views.ts';
import type { Report } from '../../src/domain/report.ts';
import { maskPayload } from '../../src/security/mask-payload.ts';
import { digestFromReports } from '../../src/use-cases/digest.ts';
import { triageCardView } from '../../src/views/triage-card.ts';
import { showControls } from '../../src/views/visible-controls.ts';
import { inertnessProblems } from '../e2e/slack/inert-text.ts';
import { TEST_POLICY } from '../support/core.ts';
import { storedReport } from '../support/report-fixtures.ts';

const RUNS = { numRuns: 300 };
const NOW = new Date('2026-11-26T09:00:00Z');

/** Slack's live syntax, formatting, entities and invisible characters, mixed with any text at all. */
const hostile = fc.oneof(
  fc.constantFrom(
    '<!channel>',
    '<!here>',
    '<!everyone>',
    '<@U0123ABC>',
    '<#C0123|general>',
    '<!subteam^S0123|@security>',
    '<https://evil.example|https://good.example>',
    '<mailto:a@b.c|x>',
    '&lt;!channel&gt;',
    '&amp;',
    '&',
    '<',
    '>',
    '*Status*\nFixed',
    '_x_',
    '~x~',
    '`code`',
    '```',
    '> quote',
    '\u202e',
    '\u200b',
    '\u0007',
    '\ufeff',
    '\n',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const hostileText = fc.array(hostile, { maxLength: 12 }).map((parts) => parts.join(''));

/** Decodes the three entities escapeMrkdwn writes. */
const decodeEntities = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('property: escapeMrkdwn', () => {
  it('never leaves a < or > (so nothing can ping, link or spoof), and loses nothing but invisible characters', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const escaped = escapeMrkdwn(text);
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        expect(decodeEntities(escaped)).toBe(showControls(text));
      }),
      { numRuns: 1000 },
    );
  });
});

/** A marker that exists nowhere in the bot's own wording, wrapped in Slack bold. */
const marker = fc.stringMatching(/^[a-z]{8}$/).map((s) => `*mk${s}*`);

/** A report whose reporter-controlled fields are hostile and each carry a distinctive formatting marker. */
const hostileReport = fc
  .record({
    title: hostileText,
    description: hostileText,
    impact: hostileText,
    severityGuess: hostileText,
    marker,
    reporterName: hostileText,
    assigneeName: hostileText,
  })
  .map((r): { report: Report; marker: string } => ({
    marker: r.marker,
    report: storedReport(1, {
      title: `${r.title}${r.marker}`.slice(0, 150),
      description: `${r.description} ${r.marker}`,
      impact: `${r.marker} ${r.impact}`,
      severityGuess: r.severityGuess,
      reporter: { platform: 'slack', userId: 'URITA', displayName: r.reporterName || 'rita' },
      assignee: { platform: 'slack', userId: 'UALICE', displayName: r.assigneeName || 'alice' },
    }),
  }));

/** The bot's own links to cards (the only `<...>` the digest may hold), by the permalink given below. */
const BOT_LINK = /<https:\/\/fake\.slack\.com\/archives\/CTRIAGE\/p\d+\|(?:open card|VULN-\d{4})>/g;

const withoutBotLinks = (value: unknown): unknown => {
  if (typeof value === 'string') return value.replace(BOT_LINK, '');
  if (Array.isArray(value)) return value.map(withoutBotLinks);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutBotLinks(v)]));
};

const problemsIn = (where: string, message: unknown, formatting: readonly string[]) =>
  inertnessProblems(where, message, { formatting });

describe('property: the Slack renderers keep reporter text inert', () => {
  it('the triage card never puts reporter text in an unescaped mrkdwn object', () => {
    fc.assert(
      fc.property(hostileReport, ({ report, marker: mark }) => {
        const view = triageCardView(report, TEST_POLICY, NOW);
        const message = { text: cardFallbackText(view), blocks: cardBlocks(view) };
        expect(problemsIn('card', message, [mark])).toEqual([]);
        // Reporter text is shown (in plain_text), just not live.
        expect(JSON.stringify(message.blocks)).toContain(mark);
      }),
      RUNS,
    );
  });

  it('notices, thread notes, replies, channel text and confirmations do the same', () => {
    fc.assert(
      fc.property(hostileReport, hostileText, ({ report, marker: mark }, extra) => {
        const lines = [`${extra}${mark}`, report.description];
        const notice = maskPayload({
          type: 'reporter_notice',
          notice: { kind: 'message', reportId: report.id, title: report.title, lines, canReply: true },
        });
        const messages: [string, unknown][] = [
          ['notice', notice.type === 'reporter_notice' ? noticeMessage(notice.notice) : null],
          ['thread note', threadNoteMessage(`${extra} ${mark} ${report.impact}`)],
          ['channel text', channelTextMessage(report.title, lines)],
          ['reply', replyMessage({ kind: 'text', ok: true, title: report.title, lines })],
          ['refusal', replyMessage({ kind: 'text', ok: false, lines })],
          ['card reply', replyMessage({ kind: 'card', card: triageCardView(report, TEST_POLICY, NOW) })],
          ['confirmation', { view: confirmationModal(lines) }],
        ];
        for (const [where, message] of messages) expect(problemsIn(where, message, [mark])).toEqual([]);
      }),
      RUNS,
    );
  });

  it('the digest links only to cards and shows reporter titles escaped', () => {
    fc.assert(
      fc.property(fc.array(hostileReport, { minLength: 1, maxLength: 5 }), (reports) => {
        const due = reports.map(({ report }, i) =>
          storedReport(i + 1, { ...report, ackDueAt: new Date(NOW.getTime() - 86_400_000) }),
        );
        const digest = digestFromReports(due, NOW, TEST_POLICY.timeZone);
        const blocks = digestBlocks(
          digest,
          (id) => `https://fake.slack.com/archives/CTRIAGE/p${id.replace(/\D/g, '')}`,
        );
        expect(JSON.stringify(blocks)).toMatch(new RegExp(BOT_LINK.source));
        expect(
          problemsIn(
            'digest',
            withoutBotLinks(blocks),
            reports.map((r) => r.marker),
          ),
        ).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
