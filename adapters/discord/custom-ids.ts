import { DISCORD_LIMITS } from './render/limits.ts';

/** Modal custom IDs; those tied to a report carry it after a colon (`vuln_reply_modal:VULN-0007`). */
export const MODALS = {
  intake: 'report_intake',
  disclosure: 'vuln_disclosure_modal',
  duplicate: 'vuln_duplicate_modal',
  reply: 'vuln_reply_modal',
  needsInfo: 'vuln_needs_info_modal',
  reporterAnswer: 'reporter_answer_modal',
} as const;

/** The "Reply" button on a reporter's direct message. */
export const REPORTER_ANSWER_BUTTON = 'reporter_answer';

/** `action:reportId`, e.g. `vuln_ack:VULN-0001` (Discord allows 100 characters). */
export const customId = (action: string, reportId: string): string => {
  const id = `${action}:${reportId}`;
  if (id.length > DISCORD_LIMITS.customId) throw new Error(`custom_id too long: ${id.length}`);
  return id;
};

export const parseCustomId = (id: string): { readonly action: string; readonly reportId: string } => {
  const colon = id.indexOf(':');
  return colon < 0
    ? { action: id, reportId: '' }
    : { action: id.slice(0, colon), reportId: id.slice(colon + 1) };
};
