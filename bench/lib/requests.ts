import { CARD_BLOCK_PREFIX } from '../../adapters/slack/render/card-blocks.ts';
import { CALLBACKS } from '../../adapters/slack/render/modal-views.ts';
import { CARD_ACTIONS } from '../../src/views/triage-card.ts';
import { intakeValues } from '../../test/e2e/slack/intake-values.ts';
import {
  blockActionsPayload,
  signSlackRequest,
  slashCommandFields,
  viewSubmissionPayload,
} from '../../test/fakes/slack/signed-request.ts';

/** Slack sends form bodies with exactly this Content-Type (Bolt refuses a charset suffix). */
export const FORM = 'application/x-www-form-urlencoded';

export const BENCH = {
  signingSecret: 'bench-signing-secret',
  botToken: 'xoxb-bench-token',
  triageChannel: 'CTRIAGE',
  triager: { id: 'UTRIAGER', name: 'tina' },
  asset: 'api.example.com',
} as const;

export interface SignedRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Signs a body now: a fresh timestamp and HMAC for every request, as Slack does. */
export const signed = (secret: string, body: string): SignedRequest => ({
  headers: { 'content-type': FORM, ...signSlackRequest(secret, body, Math.floor(Date.now() / 1000)) },
  body,
});

const SEQ = '__SEQ__';

/**
 * A valid intake `view_submission`, built once and specialised per request by replacing the
 * placeholder: a unique view ID (the intake is idempotent per view) and a unique reporter (the
 * per-reporter hourly limit stays in force, as in a flood of reports from many people).
 */
export const intakeTemplate = (tag: string): ((seq: number) => string) => {
  const payload = viewSubmissionPayload({
    userId: `UB${tag}-${SEQ}`,
    userName: `reporter${SEQ}`,
    viewId: `VB${tag}-${SEQ}`,
    callbackId: CALLBACKS.intake,
    privateMetadata: '',
    values: intakeValues({
      title: `Bench report ${SEQ}: SQL injection in /api/search`,
      asset: BENCH.asset,
      description: `GET /api/search?q=' OR 1=1 -- (bench ${SEQ}). Steps: open the page, type the query, observe every row.`,
      impact: 'Read every customer record.',
    }),
  });
  const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return (seq) => form.replaceAll(SEQ, String(seq));
};

/** The submission key the intake stores for a view built by `intakeTemplate(tag)`. */
export const intakeKeyPrefix = (tag: string): string => `slack:VB${tag}-`;

export const reportVulnCommand = (triggerId: string, responseUrl: string, userId: string): string =>
  new URLSearchParams(
    slashCommandFields({
      command: '/report-vuln',
      text: '',
      userId,
      userName: userId.toLowerCase(),
      channelId: 'CGENERAL',
      channelName: 'general',
      triggerId,
      responseUrl,
    }),
  ).toString();

export interface ClickTarget {
  readonly reportId: string;
  readonly messageTs: string;
}

export const SEVERITY_CHOICES = [
  { text: 'High', value: 'high' },
  { text: 'Medium', value: 'medium' },
] as const;

/**
 * A triager picks a severity on a card. `actionTs` must be unique: the replay guard drops a second
 * click with the same user and action timestamp.
 */
export const severityClick = (
  target: ClickTarget,
  choice: { text: string; value: string },
  actionTs: string,
  responseUrl: string,
): string => {
  const payload = blockActionsPayload({
    userId: BENCH.triager.id,
    userName: BENCH.triager.name,
    actionId: CARD_ACTIONS.severity,
    blockId: `${CARD_BLOCK_PREFIX}|${target.reportId}`,
    selectedOption: choice,
    channelId: BENCH.triageChannel,
    messageTs: target.messageTs,
    responseUrl,
  });
  const [action] = payload.actions as Record<string, unknown>[];
  if (action) action.action_ts = actionTs;
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
};
