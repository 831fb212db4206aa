import { CALLBACKS, INPUT_ACTION } from '../../../adapters/slack/render/modal-views.ts';
import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';
import {
  blockActionsPayload,
  postInteraction,
  postSlashCommand,
  type SignedPostResult,
  type StateValues,
  slashCommandFields,
  viewSubmissionPayload,
} from '../../fakes/slack/signed-request.ts';
import { intakeValues } from './intake-values.ts';
import { REPORTER, SIGNING_SECRET, type SlackHarness, TRIAGE_CHANNEL } from './slack-harness.ts';

export interface SlackUser {
  readonly id: string;
  readonly name: string;
}

/** `view.state.values` for the one-field triage modals (block `text`) and the date picker (block `date`). */
export const textValues = (value: string): StateValues => ({
  text: { [INPUT_ACTION]: { type: 'plain_text_input', value } },
});
export const dateValues = (day: string | null): StateValues => ({
  date: { [INPUT_ACTION]: { type: 'datepicker', selected_date: day } },
});

type Json = Record<string, unknown>;

/** The `text` of every text object in a recorded message, depth first. */
export const textsOf = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Json;
  const own =
    (object.type === 'plain_text' || object.type === 'mrkdwn') && typeof object.text === 'string'
      ? [object.text]
      : [];
  return [...own, ...Object.values(object).flatMap(textsOf)];
};

/** A message's blocks and fallback as one searchable string (JSON, so quotes and newlines are escaped). */
export const contentOf = (call: RecordedCall): string =>
  JSON.stringify({ text: call.args.text, blocks: call.args.blocks });

export const isTriageCardPost = (call: RecordedCall) =>
  call.method === 'chat.postMessage' &&
  call.args.channel === TRIAGE_CHANNEL &&
  call.args.thread_ts === undefined;
export const isThreadNote = (call: RecordedCall) =>
  call.method === 'chat.postMessage' && call.args.thread_ts !== undefined;
export const isDirectMessage = (call: RecordedCall, user: SlackUser = REPORTER) =>
  call.method === 'chat.postMessage' && call.args.channel === `D${user.id}`;

/** Signed requests as Slack sends them, aimed at one harness. */
export const slackDriver = (slack: SlackHarness) => {
  let seq = 0;
  const nextId = (what: string) => {
    seq += 1;
    return `${what}-${seq}`;
  };

  const interact = (payload: object): Promise<SignedPostResult> =>
    postInteraction(slack.baseUrl, SIGNING_SECRET, payload);

  /** Submits the intake modal; `viewId` is Slack's view ID (the same ID twice is a resubmission). */
  const submitIntake = (viewId: string, values: StateValues = intakeValues(), user: SlackUser = REPORTER) =>
    interact(
      viewSubmissionPayload({
        userId: user.id,
        userName: user.name,
        viewId,
        callbackId: CALLBACKS.intake,
        privateMetadata: '',
        values,
      }),
    );

  return {
    submitIntake,

    /** Files a report and waits until its triage card is posted; resolves with the card's post. */
    async fileReport(viewId: string, values: StateValues = intakeValues(), user: SlackUser = REPORTER) {
      const res = await submitIntake(viewId, values, user);
      const id = /VULN-\d{4}/.exec(JSON.stringify(res.json))?.[0];
      if (!id) throw new Error(`intake refused: ${res.body}`);
      const card = await slack.api.waitFor(
        'chat.postMessage',
        (c) => isTriageCardPost(c) && contentOf(c).includes(`${id}:`),
      );
      return { id, card, response: res };
    },

    /**
     * A click on a card control (button `value`, or a select identified by the card's block ID). Resolves
     * with the HTTP answer and the private reply that came back through response_url, if `awaitReply`.
     */
    async click(
      user: SlackUser,
      actionId: string,
      reportId: string,
      options: {
        readonly selected?: string;
        readonly blockId?: string;
        readonly value?: string;
        readonly channelId?: string;
        readonly triggerId?: string;
        readonly awaitReply?: boolean;
      } = {},
    ) {
      const responseId = nextId(`click-${actionId}`);
      const res = await interact(
        blockActionsPayload({
          userId: user.id,
          userName: user.name,
          actionId,
          blockId: options.blockId ?? `vuln_card|${reportId}`,
          ...(options.selected === undefined
            ? { value: options.value ?? reportId }
            : { selectedOption: { text: options.selected, value: options.selected } }),
          channelId: options.channelId ?? TRIAGE_CHANNEL,
          messageTs: '1700000000.000100',
          ...(options.triggerId ? { triggerId: options.triggerId } : {}),
          responseUrl: slack.api.responseUrl(responseId),
        }),
      );
      const reply = options.awaitReply
        ? await slack.api.waitFor('response_url', (c) => c.responseId === responseId)
        : undefined;
      return { res, responseId, reply };
    },

    /** Submits a modal the bot opened (triage modals carry `{"reportId": ...}` as private metadata). */
    submitModal(
      user: SlackUser,
      callbackId: string,
      privateMetadata: string,
      values: StateValues,
      viewId = nextId('V'),
    ) {
      return interact(
        viewSubmissionPayload({
          userId: user.id,
          userName: user.name,
          viewId,
          callbackId,
          privateMetadata,
          values,
        }),
      );
    },

    /** Runs a slash command; resolves with the private reply posted to its response_url. */
    async command(user: SlackUser, command: '/vuln' | '/report-vuln', text: string) {
      const responseId = nextId('command');
      const res = await postSlashCommand(
        slack.baseUrl,
        SIGNING_SECRET,
        slashCommandFields({
          command,
          text,
          userId: user.id,
          userName: user.name,
          channelId: TRIAGE_CHANNEL,
          responseUrl: slack.api.responseUrl(responseId),
        }),
      );
      const reply = await slack.api.waitFor('response_url', (c) => c.responseId === responseId);
      return { res, reply };
    },

    /** Delivers everything due in the outbox now, so "nothing more was sent" can be asserted. */
    settle: () => slack.worker.drain(),
  };
};

export type SlackDriver = ReturnType<typeof slackDriver>;
