import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface SignedPostOptions {
  /** Unix seconds used for X-Slack-Request-Timestamp; defaults to now. */
  timestamp?: number;
  /** Sent as X-Slack-Signature instead of the correct signature. */
  signatureOverride?: string;
  /** Request path on the receiver; defaults to `/slack/events`. */
  path?: string;
  /** Extra headers, e.g. `X-Slack-Retry-Num`. */
  headers?: Record<string, string>;
}

export interface SignedPostResult {
  status: number;
  body: string;
  json?: unknown;
}

export function signSlackRequest(
  secret: string,
  rawBody: string,
  timestampSeconds: number,
): Record<string, string> {
  const hmac = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'X-Slack-Signature': `v0=${hmac}`, 'X-Slack-Request-Timestamp': String(timestampSeconds) };
}

async function postSigned(
  baseUrl: string,
  secret: string,
  rawBody: string,
  contentType: string,
  opts: SignedPostOptions,
): Promise<SignedPostResult> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signed = signSlackRequest(secret, rawBody, timestamp);
  if (opts.signatureOverride !== undefined) signed['X-Slack-Signature'] = opts.signatureOverride;
  const res = await fetch(new URL(opts.path ?? '/slack/events', baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...signed, ...opts.headers },
    body: rawBody,
  });
  const body = await res.text();
  const result: SignedPostResult = { status: res.status, body };
  if (res.headers.get('content-type')?.includes('application/json')) result.json = JSON.parse(body);
  return result;
}

/** Slack sends form bodies with exactly this Content-Type; Bolt answers 400 when a charset is added. */
const FORM = 'application/x-www-form-urlencoded';

export function postSlashCommand(
  baseUrl: string,
  secret: string,
  fields: Record<string, string>,
  opts: SignedPostOptions = {},
): Promise<SignedPostResult> {
  return postSigned(baseUrl, secret, new URLSearchParams(fields).toString(), FORM, opts);
}

export function postInteraction(
  baseUrl: string,
  secret: string,
  payload: object,
  opts: SignedPostOptions = {},
): Promise<SignedPostResult> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(baseUrl, secret, body, FORM, opts);
}

export function postEvent(
  baseUrl: string,
  secret: string,
  body: object,
  opts: SignedPostOptions = {},
): Promise<SignedPostResult> {
  return postSigned(baseUrl, secret, JSON.stringify(body), 'application/json', opts);
}

/** A trigger_id in Slack's `<digits>.<digits>.<hex>` shape. */
export function fakeTriggerId(): string {
  const digits = () => String(Math.floor(Math.random() * 1e12)).padStart(12, '0');
  return `${digits()}.${digits()}.${randomBytes(16).toString('hex')}`;
}

/** Unroutable on purpose: an app that responds without a test-provided response_url fails fast, offline. */
const UNSET_RESPONSE_URL = 'http://127.0.0.1:1/response/unset';
const TEAM = { id: 'T1', domain: 'fake' };
const APP_ID = 'A1';

export interface SlashCommandInput {
  command: string;
  text: string;
  userId: string;
  userName: string;
  channelId: string;
  channelName?: string;
  triggerId?: string;
  responseUrl?: string;
  teamId?: string;
}

export function slashCommandFields(input: SlashCommandInput): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: input.teamId ?? TEAM.id,
    team_domain: TEAM.domain,
    channel_id: input.channelId,
    channel_name: input.channelName ?? 'privategroup',
    user_id: input.userId,
    user_name: input.userName,
    command: input.command,
    text: input.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? UNSET_RESPONSE_URL,
    trigger_id: input.triggerId ?? fakeTriggerId(),
  };
}

export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

export interface ViewSubmissionInput {
  userId: string;
  userName?: string;
  viewId: string;
  callbackId: string;
  privateMetadata: string;
  values: StateValues;
  hash?: string;
  teamId?: string;
  triggerId?: string;
  blocks?: unknown[];
}

export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const teamId = input.teamId ?? TEAM.id;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: TEAM.domain },
    user: {
      id: input.userId,
      username: input.userName ?? input.userId.toLowerCase(),
      name: input.userName ?? input.userId.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    trigger_id: input.triggerId ?? fakeTriggerId(),
    view: {
      id: input.viewId,
      team_id: teamId,
      type: 'modal',
      blocks: input.blocks ?? [],
      private_metadata: input.privateMetadata,
      callback_id: input.callbackId,
      state: { values: input.values },
      hash: input.hash ?? `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: 'Report vulnerability', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: input.viewId,
      app_id: APP_ID,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface BlockActionsInput {
  userId: string;
  userName?: string;
  actionId: string;
  blockId: string;
  value?: string;
  selectedOption?: { text: string; value: string };
  selectedDate?: string;
  channelId: string;
  messageTs: string;
  triggerId?: string;
  responseUrl?: string;
  teamId?: string;
}

function actionElement(input: BlockActionsInput): Record<string, unknown> {
  const base = {
    action_id: input.actionId,
    block_id: input.blockId,
    action_ts: `${(Date.now() / 1000).toFixed(6)}`,
  };
  if (input.selectedOption) {
    const { text, value } = input.selectedOption;
    return {
      ...base,
      type: 'static_select',
      selected_option: { text: { type: 'plain_text', text, emoji: true }, value },
    };
  }
  if (input.selectedDate !== undefined)
    return { ...base, type: 'datepicker', selected_date: input.selectedDate };
  return {
    ...base,
    type: 'button',
    text: { type: 'plain_text', text: input.actionId, emoji: true },
    value: input.value ?? '',
  };
}

export function blockActionsPayload(input: BlockActionsInput): Record<string, unknown> {
  const teamId = input.teamId ?? TEAM.id;
  const username = input.userName ?? input.userId.toLowerCase();
  return {
    type: 'block_actions',
    user: { id: input.userId, username, name: username, team_id: teamId },
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channelId,
      is_ephemeral: false,
    },
    trigger_id: input.triggerId ?? fakeTriggerId(),
    team: { id: teamId, domain: TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: 'privategroup' },
    message: {
      type: 'message',
      user: 'UBOT',
      bot_id: 'BBOT',
      ts: input.messageTs,
      text: 'vulndesk message',
      blocks: [],
    },
    state: { values: {} },
    response_url: input.responseUrl ?? UNSET_RESPONSE_URL,
    actions: [actionElement(input)],
  };
}

/** An Events API `event_callback` body wrapping `event`. */
export function eventCallbackBody(event: Record<string, unknown>, teamId = TEAM.id): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

/** Reads a JSON payload saved under test/fixtures/slack/, e.g. `view-submission-report-vuln`. */
export function loadSlackFixture(name: string): Record<string, unknown> {
  const url = new URL(`../../fixtures/slack/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}
