import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardBlocks, cardFallbackText } from '../../../adapters/slack/render/card-blocks.ts';
import { escapeMrkdwn } from '../../../adapters/slack/render/escape.ts';
import {
  channelTextMessage,
  noticeMessage,
  replyMessage,
  threadNoteMessage,
} from '../../../adapters/slack/render/message-blocks.ts';
import {
  CALLBACKS,
  confirmationModal,
  disclosureModal,
  intakeModal,
  textInputModal,
} from '../../../adapters/slack/render/modal-views.ts';
import { SLACK_LIMITS } from '../../../adapters/slack/render/slack-limits.ts';
import { errorReply, textReply } from '../../../src/commands/command-reply.ts';
import { DEFAULT_POLICY, type Policy } from '../../../src/domain/policy.ts';
import { OUT_OF_SCOPE_REASONS, type Report } from '../../../src/domain/report.ts';
import { formatReportId } from '../../../src/domain/tracking-id.ts';
import { reportLine } from '../../../src/use-cases/queries.ts';
import {
  acknowledgedNotice,
  disclosureNotice,
  duplicateNotice,
  messageNotice,
  needsInfoNotice,
  outOfScopeNotice,
  statusNotice,
} from '../../../src/use-cases/reporter-notices.ts';
import { intakeFormView } from '../../../src/views/intake-form.ts';
import type { ReporterNotice } from '../../../src/views/reporter-notice.ts';
import { triageCardView } from '../../../src/views/triage-card.ts';
import { ADVISORY_DIR } from '../../support/advisories.ts';
import {
  BLOCK_KIT,
  type LimitProblem,
  messageLimitProblems,
  modalLimitProblems,
} from './block-kit-limits.ts';

// -------------------------------------------------------------------------------------------------
// The corpus: 60 real GitHub advisories (OSV JSON), `summary` as the title, `details` as the report text.

const advisoryDir: string | undefined = `${ADVISORY_DIR}/`;

interface Advisory {
  readonly id: string;
  readonly summary?: string;
  readonly details?: string;
  readonly severity?: readonly { readonly type: string; readonly score: string }[];
  readonly affected?: readonly { readonly package?: { readonly name?: string } }[];
}

const advisories: Advisory[] = advisoryDir
  ? readdirSync(advisoryDir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(`${advisoryDir}${name}`, 'utf8')) as Advisory)
  : [];

const NOW = new Date('2026-11-26T09:00:00Z');
const POLICY: Policy = { ...DEFAULT_POLICY, assets: ['api.example.com', 'web app'] };

const baseReport = (number: number, overrides: Partial<Report> = {}): Report => ({
  id: formatReportId('VULN', number),
  number,
  title: 'Report',
  asset: 'api.example.com',
  description: 'Steps',
  impact: 'Impact',
  severityGuess: '',
  reporter: { platform: 'slack', userId: 'URITA', displayName: 'rita' },
  policyAcceptedAt: NOW,
  status: 'new',
  statusBeforeNeedsInfo: null,
  severity: null,
  cvssVector: null,
  cvssScore: null,
  assignee: null,
  duplicateOf: null,
  outOfScopeReason: null,
  closeNote: null,
  receivedAt: NOW,
  acknowledgedAt: null,
  triagedAt: null,
  fixedAt: null,
  disclosedAt: null,
  ackDueAt: new Date('2026-11-30T09:00:00Z'),
  triageDueAt: new Date('2026-12-03T09:00:00Z'),
  remediationDueOn: null,
  disclosureOn: '2027-02-24',
  updatedAt: NOW,
  ...overrides,
});

const reportFrom = (advisory: Advisory, number: number): Report => {
  const details = advisory.details ?? '';
  const vector = advisory.severity?.find((s) => s.score.startsWith('CVSS:'))?.score ?? '';
  return baseReport(number, {
    title: advisory.summary ?? advisory.id,
    asset: advisory.affected?.[0]?.package?.name ?? 'other',
    description: details,
    // A second long text: the advisory again, reversed by paragraph, so both sections are long.
    impact: details.split('\n\n').reverse().join('\n\n'),
    severityGuess: vector,
    reporter: { platform: 'slack', userId: 'URITA', displayName: advisory.id },
  });
};

/** The same report at every stage of its life, so every optional card field and control appears. */
const lifecycle = (report: Report): Report[] => {
  const assignee = { platform: 'slack' as const, userId: 'UALICE', displayName: 'alice' };
  const triaged = {
    ...report,
    acknowledgedAt: NOW,
    triagedAt: NOW,
    severity: 'critical' as const,
    cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H',
    cvssScore: 10,
    assignee,
    remediationDueOn: '2026-12-03',
  };
  return [
    report,
    { ...report, status: 'acknowledged', acknowledgedAt: NOW, assignee },
    { ...triaged, status: 'needs_info', statusBeforeNeedsInfo: 'triaged' },
    { ...triaged, status: 'triaged' },
    { ...triaged, status: 'fixing' },
    { ...triaged, status: 'fixed', fixedAt: NOW },
    { ...triaged, status: 'disclosed', fixedAt: NOW, disclosedAt: NOW },
    { ...triaged, status: 'duplicate', duplicateOf: 'VULN-0001' },
    { ...triaged, status: 'out_of_scope', outOfScopeReason: 'third_party' },
    { ...report, status: 'spam', acknowledgedAt: NOW },
  ];
};

const reports = advisories.map((a, i) => reportFrom(a, i + 1));

const noticesFor = (report: Report): ReporterNotice[] => [
  {
    kind: 'received',
    reportId: report.id,
    title: report.title,
    lines: [
      `Thank you. Your report is filed as ${report.id}.`,
      'Planned public disclosure date: 2027-02-24.',
    ],
    canReply: false,
  },
  acknowledgedNotice(report),
  needsInfoNotice(report, report.description),
  statusNotice({ ...report, status: 'fixed' }),
  ...OUT_OF_SCOPE_REASONS.map((reason) => outOfScopeNotice(report, reason)),
  duplicateNotice(report),
  disclosureNotice(report, '2027-01-01'),
  messageNotice(report, report.description),
];

/** Renders one report through every Slack renderer; each entry is [what, problems]. */
const renderEverything = (report: Report): [string, LimitProblem[]][] => {
  const out: [string, LimitProblem[]][] = [];
  for (const stage of lifecycle(report)) {
    const card = triageCardView(stage, POLICY, NOW);
    out.push([
      `${report.id} card (${stage.status})`,
      messageLimitProblems({ text: cardFallbackText(card), blocks: cardBlocks(card) }),
    ]);
    out.push([
      `${report.id} /vuln show (${stage.status})`,
      messageLimitProblems(replyMessage({ kind: 'card', card })),
    ]);
  }
  for (const notice of noticesFor(report)) {
    out.push([`${report.id} notice ${notice.kind}`, messageLimitProblems(noticeMessage(notice))]);
  }
  out.push([
    `${report.id} thread note`,
    messageLimitProblems(
      threadNoteMessage(`The reporter (rita) answered on ${report.id}: ${report.description}`),
    ),
  ]);
  out.push([
    `${report.id} reveal`,
    messageLimitProblems(
      replyMessage(
        textReply(
          ['Description and steps to reproduce:', report.description, 'Impact:', report.impact],
          `${report.id} full text: ${report.title}`,
        ),
      ),
    ),
  ]);
  out.push([
    `${report.id} error reply`,
    messageLimitProblems(replyMessage(errorReply({ code: 'command.usage', message: report.description }))),
  ]);
  for (const callbackId of Object.values(CALLBACKS)) {
    out.push([
      `${report.id} ${callbackId} text modal`,
      modalLimitProblems(
        textInputModal({
          callbackId,
          reportId: report.id,
          heading: report.title,
          label: `${report.title}: ${report.description}`,
          placeholder: report.title,
        }),
      ),
    ]);
  }
  out.push([
    `${report.id} duplicate modal`,
    modalLimitProblems(
      textInputModal({
        callbackId: CALLBACKS.duplicate,
        reportId: report.id,
        heading: 'Duplicate of',
        label: `${report.id} duplicates which report?`,
        multiline: false,
        maxLength: 40,
        placeholder: 'VULN-0001',
      }),
    ),
  ]);
  out.push([
    `${report.id} disclosure modal`,
    modalLimitProblems(disclosureModal(report.id, report.disclosureOn)),
  ]);
  out.push([
    `${report.id} confirmation modal`,
    modalLimitProblems(confirmationModal(noticesFor(report)[0]?.lines ?? [])),
  ]);
  return out;
};

const failuresOf = (rendered: [string, LimitProblem[]][]) =>
  rendered.filter(([, problems]) => problems.length > 0).map(([what, problems]) => ({ what, problems }));

describe('Slack renderers against Block Kit limits, with 60 real advisories as report content', () => {
  it('the advisory corpus is present, with texts far beyond one section (so the checks are not vacuous)', () => {
    expect(advisoryDir, 'shared/data/advisories must be beside the repository').toBeDefined();
    expect(advisories.length).toBeGreaterThanOrEqual(60);
    const long = advisories.filter((a) => (a.details ?? '').length > BLOCK_KIT.sectionText);
    expect(long.length).toBeGreaterThanOrEqual(5);
    expect(advisories.some((a) => (a.details ?? '').includes('```'))).toBe(true);
  });

  it("the adapter's own limit table never exceeds Slack's documented limits", () => {
    for (const [name, documented] of Object.entries(BLOCK_KIT)) {
      expect(SLACK_LIMITS[name as keyof typeof SLACK_LIMITS], name).toBeLessThanOrEqual(documented);
    }
  });

  it('the limit checker itself notices a broken message and a broken modal', () => {
    const tooLong = 'x'.repeat(3001);
    expect(
      messageLimitProblems({
        text: 'x',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
          { type: 'section', text: { type: 'plain_text', text: tooLong } },
          { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
          {
            type: 'actions',
            elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
          },
        ],
      }).map((p) => p.path),
    ).toEqual(['blocks[0].text', 'blocks[1].text', 'blocks[2].fields', 'blocks[3].elements[0].text']);
    expect(
      messageLimitProblems({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    ).toHaveLength(1);
    expect(
      modalLimitProblems({
        type: 'modal',
        title: { type: 'plain_text', text: 't'.repeat(25) },
        private_metadata: tooLong,
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'l' },
            element: { type: 'plain_text_input', max_length: 3001 },
          },
        ],
      }).map((p) => p.path),
    ).toEqual(['title', 'private_metadata', 'submit', 'blocks[0].element.max_length']);
  });

  it('every triage card, notice, thread note, reply and modal for every advisory stays within the limits', () => {
    const rendered = reports.flatMap(renderEverything);
    expect(rendered.length).toBeGreaterThan(60 * 30);
    expect(failuresOf(rendered)).toEqual([]);
  });

  it('a long advisory is truncated on the card with a pointer to "Show full text"', () => {
    const longest = [...reports].sort((a, b) => b.description.length - a.description.length)[0] as Report;
    expect(longest.description.length).toBeGreaterThan(BLOCK_KIT.sectionText);
    const blocks = cardBlocks(triageCardView(longest, POLICY, NOW));
    const texts = blocks.map((b) => JSON.stringify(b)).join('\n');
    expect(texts).toContain('Show full text');
    expect(texts).toContain(longest.description.slice(0, 500).replace(/\n/g, '\\n').replace(/"/g, '\\"'));
  });

  it('a thread note or notice carrying a whole advisory keeps all of its text, split across sections', () => {
    const longest = [...reports].sort((a, b) => b.description.length - a.description.length)[0] as Report;
    const note = threadNoteMessage(longest.description);
    const joined = note.blocks.map((b) => (b.text as { text: string }).text).join('');
    expect(note.blocks.length).toBeGreaterThan(1);
    expect(joined).toBe(longest.description);
  });

  it('the intake modal stays within the limits with 60 assets and every advisory title as an out-of-scope item', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      assets: advisories.map((a, i) => `${a.affected?.[0]?.package?.name ?? 'pkg'}-${i}`),
      outOfScope: advisories.map((a) => a.summary ?? a.id),
    };
    const modal = intakeModal(intakeFormView(policy));
    expect(modalLimitProblems(modal)).toEqual([]);
    const asset = modal.blocks.find((b) => 'block_id' in b && b.block_id === 'asset') as {
      element: { options: unknown[] };
    };
    expect(asset.element.options).toHaveLength(61);
  });

  it('the intake modal for the default policy stays within the limits and caps every text input at ≤ 3000', () => {
    const modal = intakeModal(intakeFormView(POLICY));
    expect(modalLimitProblems(modal)).toEqual([]);
    const inputs = modal.blocks.filter((b) => b.type === 'input') as { element: { max_length?: number } }[];
    const lengths = inputs.map((b) => b.element.max_length).filter((n) => n !== undefined);
    expect(lengths.length).toBeGreaterThanOrEqual(4);
    for (const length of lengths) expect(length).toBeLessThanOrEqual(BLOCK_KIT.plainTextInput);
  });

  it('the daily digest / channel text with a line per advisory stays within the limits', () => {
    const lines = reports.flatMap((r) => lifecycle(r).map((stage) => reportLine(stage).text));
    expect(lines.join('\n').length).toBeGreaterThan(BLOCK_KIT.sectionText * 10);
    expect(messageLimitProblems(channelTextMessage('Daily digest: 600 open reports', lines))).toEqual([]);
    expect(messageLimitProblems(replyMessage(textReply(lines, 'Reports: open')))).toEqual([]);
    const paragraphs = reports.flatMap((r) => r.description.split('\n'));
    expect(messageLimitProblems(channelTextMessage(reports[0]?.title ?? '', paragraphs))).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------
// Properties over arbitrary text: what a reporter can type is anything at all.

/** Characters that matter to Slack and to length accounting, mixed with arbitrary code points. */
const nastyChar = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '<',
      '>',
      '&',
      '*',
      '_',
      '~',
      '`',
      '|',
      '!',
      '@',
      '\n',
      '\t',
      '\r',
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u200b',
      '\u200e',
      '\u202a',
      '\u202e',
      '\u2066',
      '\ufeff',
      '😀',
    ),
  },
);
/** `size: 'max'` so lengths reach maxLength: fast-check's default keeps strings short. */
const nastyText = (maxLength: number) => fc.string({ unit: nastyChar, maxLength, size: 'max' });

describe('Slack rendering properties', () => {
  it('escapeMrkdwn output never contains < or >, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), nastyText(400), (a, b) => {
        const out = escapeMrkdwn(a + b);
        return !out.includes('<') && !out.includes('>');
      }),
      { numRuns: 500 },
    );
  });

  it('escapeMrkdwn keeps mention and link syntax literal: <!channel> becomes &lt;!channel&gt;', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> <https://evil|good>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://evil|good&gt;',
    );
    expect(escapeMrkdwn('\u202Eevil')).not.toContain('\u202E');
  });

  it('a triage card never exceeds the limits, whatever the reporter typed', () => {
    fc.assert(
      fc.property(
        nastyText(400),
        nastyText(3500),
        nastyText(3500),
        nastyText(250),
        nastyText(120),
        fc.constantFrom(...lifecycle(baseReport(7)).map((r) => r.status)),
        (title, description, impact, severityGuess, displayName, status) => {
          const stage = lifecycle(
            baseReport(7, {
              title,
              description,
              impact,
              severityGuess,
              reporter: { platform: 'slack', userId: 'URITA', displayName },
            }),
          ).find((r) => r.status === status) as Report;
          const card = triageCardView(stage, POLICY, NOW);
          const problems = messageLimitProblems({ text: cardFallbackText(card), blocks: cardBlocks(card) });
          expect(problems).toEqual([]);
        },
      ),
      // Long strings shrink slowly; the deterministic test below pins the known counterexample.
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('reporter notices and thread notes never exceed the limits, whatever the text', () => {
    fc.assert(
      fc.property(nastyText(400), nastyText(5000), (title, text) => {
        const report = baseReport(3, { title });
        expect(messageLimitProblems(noticeMessage(needsInfoNotice(report, text)))).toEqual([]);
        expect(messageLimitProblems(noticeMessage(messageNotice(report, text)))).toEqual([]);
        expect(messageLimitProblems(threadNoteMessage(text))).toEqual([]);
        expect(messageLimitProblems(replyMessage(textReply([text], title)))).toEqual([]);
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it('text full of invisible characters still fits once they are made visible (each becomes \\u{..})', () => {
    const report = baseReport(9, {
      title: '\u202E'.repeat(150),
      description: '\u0000'.repeat(3000),
      impact: '\u200B'.repeat(3000),
      severityGuess: '\u2066'.repeat(200),
      reporter: { platform: 'slack', userId: 'URITA', displayName: '\u202E'.repeat(80) },
    });
    const card = triageCardView(report, POLICY, NOW);
    const blocks = cardBlocks(card);
    expect(messageLimitProblems({ text: cardFallbackText(card), blocks })).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('\\\\u{202e}');
    expect(JSON.stringify(blocks)).not.toContain('\u202E');
    const notice = noticeMessage(messageNotice(report, '\u202E'.repeat(2000)));
    expect(messageLimitProblems(notice)).toEqual([]);
    expect(messageLimitProblems(threadNoteMessage('\u0000'.repeat(3000)))).toEqual([]);
    const answer = threadNoteMessage(`Answer: ${'\u202E'.repeat(2000)}`);
    expect(answer.blocks.map((b) => (b.text as { text: string }).text).join('')).toBe(
      `Answer: ${'\\u{202e}'.repeat(2000)}`,
    );
  });
});
