import type { CommandReply } from '../../src/commands/command-reply.ts';
import type { DigestView } from '../../src/use-cases/digest.ts';
import type { ReporterNotice } from '../../src/views/reporter-notice.ts';
import type { TriageCardView } from '../../src/views/triage-card.ts';
import { showControls } from '../../src/views/visible-controls.ts';

export const inert = showControls;

const indent = (text: string, prefix = '    '): string =>
  inert(text)
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

export const renderCard = (card: TriageCardView): string => {
  const lines = [`${card.reportId}: ${inert(card.title)}`];
  for (const field of card.fields) lines.push(`  ${field.label}: ${inert(field.value)}`);
  for (const section of card.sections) lines.push(`  ${section.label}:`, indent(section.text));
  const actions = card.actions.map((a) => (a.kind === 'button' ? `[${a.label}]` : `[${a.placeholder} ▾]`));
  lines.push(`  Actions: ${actions.join(' ')}`);
  return lines.join('\n');
};

export const renderNotice = (notice: ReporterNotice): string =>
  [`${notice.reportId}: ${inert(notice.title)}`, ...notice.lines.map((line) => `  ${inert(line)}`)]
    .concat(notice.canReply ? [`  (answer with /answer ${notice.reportId} <text>)`] : [])
    .join('\n');

export const renderDigest = (digest: DigestView): string =>
  [digest.title, ...digest.lines.map(inert)].join('\n');

export const renderReply = (reply: CommandReply): string => {
  if (reply.kind === 'card') return renderCard(reply.card);
  const prefix = reply.ok ? '' : 'Error: ';
  if (!reply.title)
    return reply.lines.map((line, i) => `${i === 0 ? prefix : '  '}${inert(line)}`).join('\n');
  return [inert(reply.title), ...reply.lines.map((line) => `  ${inert(line)}`)].join('\n');
};
