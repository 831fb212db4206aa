import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  disclosureModal,
  duplicateModal,
  needsInfoModal,
  replyModal,
  reporterAnswerModal,
} from '../../../adapters/discord/render/action-modals.ts';
import { cardMessage, TRUNCATED_FOOTER, threadName } from '../../../adapters/discord/render/card-message.ts';
import { digestMessage, MORE_NOT_SHOWN } from '../../../adapters/discord/render/digest-message.ts';
import { echoMessages } from '../../../adapters/discord/render/echo-message.ts';
import { escapeText } from '../../../adapters/discord/render/escape.ts';
import {
  intakeModal,
  splitSeverityLine,
  submissionFromModal,
} from '../../../adapters/discord/render/intake-modal.ts';
import { DISCORD_LIMITS, embedSize } from '../../../adapters/discord/render/limits.ts';
import type { MessageBody } from '../../../adapters/discord/render/message-body.ts';
import { noticeMessage } from '../../../adapters/discord/render/notice-message.ts';
import { replyMessages } from '../../../adapters/discord/render/reply-message.ts';
import { textMessages } from '../../../adapters/discord/render/text-message.ts';
import { STATUSES } from '../../../src/domain/report.ts';
import { intakeFormView } from '../../../src/views/intake-form.ts';
import { triageCardView } from '../../../src/views/triage-card.ts';
import { ADVISORY_DIR } from '../../support/advisories.ts';
import { TEST_POLICY } from '../../support/core.ts';
import { storedReport } from '../../support/report-fixtures.ts';

const ADVISORIES = ADVISORY_DIR;
const advisories = readdirSync(ADVISORIES)
  .filter((file) => file.endsWith('.json'))
  .map(
    (file) =>
      JSON.parse(readFileSync(path.join(ADVISORIES, file), 'utf8')) as {
        id: string;
        summary?: string;
        details?: string;
      },
  );

const NOW = new Date('2026-11-26T09:00:00Z');

/** Every Discord limit a message can break. */
const expectMessageFits = (message: MessageBody) => {
  expect((message.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  const embeds = message.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
  expect(
    embeds.reduce(
      (sum, e) => sum + embedSize({ ...e, ...(e.footer ? { footer: { text: e.footer.text } } : {}) }),
      0,
    ),
  ).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  for (const embed of embeds) {
    expect((embed.title ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldValue);
    }
  }
  expect((message.content ?? '').length + embeds.length).toBeGreaterThan(0);
  const rows = message.components ?? [];
  expect(rows.length).toBeLessThanOrEqual(DISCORD_LIMITS.actionRows);
  for (const row of rows) {
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
    const selects = row.components.filter((c) => c.type !== 2);
    if (selects.length > 0) expect(row.components).toHaveLength(1);
    for (const component of row.components) {
      expect(String((component as { custom_id?: string }).custom_id ?? '').length).toBeLessThanOrEqual(
        DISCORD_LIMITS.customId,
      );
      if (component.type === 2)
        expect(String((component as { label?: string }).label ?? '').length).toBeLessThanOrEqual(
          DISCORD_LIMITS.buttonLabel,
        );
      if (component.type === 3) {
        expect(component.options.length).toBeLessThanOrEqual(DISCORD_LIMITS.selectOptions);
        for (const option of component.options)
          expect(option.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.selectOptionLabel);
      }
    }
  }
  expect(message.allowed_mentions).toEqual({ parse: [] });
};

describe('Discord renderers within Discord’s limits, with real advisories as report text', () => {
  it('has advisories to render, some longer than any one Discord message', () => {
    expect(advisories.length).toBeGreaterThan(20);
    expect(Math.max(...advisories.map((a) => (a.details ?? '').length))).toBeGreaterThan(
      DISCORD_LIMITS.embedDescription,
    );
  });

  it.each(advisories.map((a) => [a.id, a] as const))(
    '%s: the card fits, and long text says how to read all of it',
    (_id, advisory) => {
      const details = advisory.details ?? '';
      const report = storedReport(7, {
        title: advisory.summary ?? advisory.id,
        description: details,
        impact: details.slice(0, 3000),
        severityGuess: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      });
      const message = cardMessage(triageCardView(report, TEST_POLICY, NOW));
      expectMessageFits(message);
      const embed = message.embeds?.[0];
      expect(embed?.title?.startsWith('VULN-0007: ')).toBe(true);
      const shown = embed?.description ?? '';
      if (escapeText(details).length + escapeText(details.slice(0, 3000)).length > shown.length) {
        expect(embed?.footer?.text).toBe(TRUNCATED_FOOTER);
      }
      expect(threadName(triageCardView(report, TEST_POLICY, NOW)).length).toBeLessThanOrEqual(
        DISCORD_LIMITS.threadName,
      );
    },
  );

  it.each(advisories.map((a) => [a.id, a] as const))(
    '%s: "Show full text" carries every character, in messages that fit',
    (_id, advisory) => {
      const details = advisory.details ?? '';
      const messages = replyMessages({
        kind: 'text',
        ok: true,
        title: `VULN-0007 full text: ${advisory.summary}`,
        lines: [details, details],
      });
      for (const message of messages) expectMessageFits(message);
      const shown = messages
        .map((m) => [m.content ?? '', ...(m.embeds ?? []).map((e) => e.description ?? '')].join(''))
        .join('');
      expect(shown.replaceAll('\n', '')).toContain(escapeText(`${details}\n${details}`).replaceAll('\n', ''));
    },
  );

  it('fits the card for every status (buttons and selects within five rows)', () => {
    for (const status of STATUSES) {
      const message = cardMessage(triageCardView(storedReport(1, { status }), TEST_POLICY, NOW));
      expectMessageFits(message);
      const ids = (message.components ?? []).flatMap((row) =>
        row.components.map((c) => (c as { custom_id: string }).custom_id),
      );
      expect(ids).toContain('vuln_reveal:VULN-0001');
    }
  });

  it('fits the intake modal, even with many assets and a long out-of-scope list', () => {
    const policy = {
      ...TEST_POLICY,
      assets: Array.from({ length: 40 }, (_, i) => `asset-${i}-${'x'.repeat(120)}`),
      outOfScope: Array.from({ length: 60 }, (_, i) => `Out of scope item ${i} ${'y'.repeat(100)}`),
    };
    const modal = intakeModal(intakeFormView(policy));
    expect(modal.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.modalTitle);
    expect(modal.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.modalComponents);
    for (const component of modal.components) {
      if (component.type === 10)
        expect(component.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.textDisplay);
      if (component.type !== 18) continue;
      expect(component.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.labelText);
      expect((component.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.labelDescription);
      const inner = component.component;
      if (inner.type === 4) {
        expect(inner.max_length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.textInputValue);
        expect((inner.placeholder ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.textInputPlaceholder);
      }
      if (inner.type === 3) {
        expect(inner.options.length).toBeLessThanOrEqual(DISCORD_LIMITS.selectOptions);
        expect(inner.options.at(-1)?.value).toBe('other');
        for (const o of inner.options)
          expect(o.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.selectOptionLabel);
      }
    }
    const ids = modal.components.flatMap((c) =>
      c.type === 18 ? [(c.component as { custom_id: string }).custom_id] : [],
    );
    expect(ids).toEqual(['title', 'asset', 'description', 'impact']);
  });

  it('reads a severity guess from the last line of the impact', () => {
    expect(splitSeverityLine('Read everything.\nSeverity: High')).toEqual({
      impact: 'Read everything.',
      severityGuess: 'High',
    });
    const vector = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    expect(splitSeverityLine(`Read everything.\n${vector}\n`)).toEqual({
      impact: 'Read everything.',
      severityGuess: vector,
    });
    expect(splitSeverityLine('The severity is obvious')).toEqual({
      impact: 'The severity is obvious',
      severityGuess: '',
    });
    expect(submissionFromModal({ title: 't', asset: ['web app'], description: 'd', impact: 'i' })).toEqual({
      title: 't',
      asset: 'web app',
      description: 'd',
      impact: 'i',
      severityGuess: '',
      policyAccepted: true,
    });
  });

  it('fits the one-field modals, even for the longest report IDs', () => {
    const id = 'ABCDEFGHIJKL-999999999';
    for (const modal of [
      disclosureModal(id, '2027-01-01'),
      duplicateModal(id),
      replyModal(id),
      needsInfoModal(id),
      reporterAnswerModal(id),
    ]) {
      expect(modal.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.modalTitle);
      expect(modal.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
      expect(modal.components).toHaveLength(1);
    }
  });

  it('fits notices, long texts, echoes and digests', () => {
    const long = advisories.map((a) => a.details ?? '').join('\n');
    expectMessageFits(
      noticeMessage({
        kind: 'message',
        reportId: 'VULN-0001',
        title: 'x'.repeat(500),
        lines: ['y', long.slice(0, 2000)],
        canReply: true,
      }),
    );
    for (const message of textMessages('**Header**', long)) expectMessageFits(message);
    const echo = echoMessages({
      heading: '**Your report was not filed.**',
      problems: ['a'.repeat(3000)],
      fields: [
        { label: 'Title', value: 'x'.repeat(150) },
        { label: 'Description', value: long.slice(0, 4000) },
        { label: 'Impact', value: long.slice(0, 4000) },
      ],
      retry: 'then run `/report-vuln` again',
    });
    expect(echo.length).toBeGreaterThan(1);
    for (const message of echo) expectMessageFits(message);
    const digest = digestMessage(
      {
        title: 'Security digest for 2026-11-26',
        day: '2026-11-26',
        lines: [],
        sections: [
          {
            heading: 'Triage overdue',
            items: Array.from({ length: 500 }, (_, i) => ({
              reportId: `VULN-${i}`,
              text: `VULN-${i} · ${'z'.repeat(80)}`,
            })),
          },
        ],
      },
      (id) => `https://discord.com/channels/1/2/${id}`,
    );
    expectMessageFits(digest);
    expect(JSON.stringify(digest)).toContain(MORE_NOT_SHOWN);
  });
});
