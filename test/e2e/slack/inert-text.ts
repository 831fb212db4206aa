import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';

/**
 * Checks that reporter text is inert in what the bot sends to Slack. Slack parses `mrkdwn` text objects
 * and a message's top-level `text` fallback: there `<!channel>`, `<@U..>`, `<!subteam^..>` and
 * `<url|label>` are live, so a raw `<` or `>` must never appear (the bot's own links are none of the
 * reporter's business and are allowed only in the one form the digest uses). `plain_text` is shown
 * literally. Everywhere, invisible and direction-changing characters must arrive made visible.
 */

export interface InertnessProblem {
  readonly where: string;
  readonly path: string;
  readonly problem: string;
  readonly excerpt: string;
}

/** Every call that puts something on a Slack screen. */
export const OUTBOUND_METHODS = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'chat.scheduleMessage',
  'response_url',
  'views.open',
  'views.update',
  'views.push',
  'views.publish',
]);

const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** The one bot-authored link form (digest lines linking to their card). */
const BOT_LINK = /<https?:\/\/[^\s<>|]+\|open card>/g;

const excerptAround = (text: string, index: number) =>
  JSON.stringify(text.slice(Math.max(0, index - 30), index + 40));

type Json = Record<string, unknown>;

export interface InertnessOptions {
  /**
   * Reporter strings that carry Slack formatting (e.g. `*Status:* Fixed`): inside mrkdwn *blocks* they
   * would render as formatting, so they may appear there only in plain_text. The `text` fallback is
   * shown only in notifications, without formatting, and is exempt.
   */
  readonly formatting?: readonly string[];
}

export const inertnessProblems = (
  where: string,
  message: unknown,
  options: InertnessOptions = {},
): InertnessProblem[] => {
  const problems: InertnessProblem[] = [];
  const add = (path: string, problem: string, text: string, index: number) =>
    problems.push({ where, path, problem, excerpt: excerptAround(text, index) });

  const checkMrkdwn = (path: string, text: string, inBlocks: boolean) => {
    const unlinked = text.replace(BOT_LINK, '');
    const raw = unlinked.search(/[<>]/);
    if (raw >= 0) add(path, 'raw < or > in mrkdwn', unlinked, raw);
    if (inBlocks) {
      for (const marker of options.formatting ?? []) {
        const at = text.indexOf(marker);
        if (at >= 0) add(path, `reporter formatting ${JSON.stringify(marker)} in a mrkdwn block`, text, at);
      }
    }
  };

  const walk = (value: unknown, path: string, inBlocks: boolean): void => {
    if (typeof value === 'string') {
      const hidden = value.search(INVISIBLE);
      if (hidden >= 0)
        add(path, `invisible character U+${value.codePointAt(hidden)?.toString(16)}`, value, hidden);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, `${path}[${i}]`, inBlocks);
      });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const object = value as Json;
    if (object.type === 'mrkdwn') {
      if (typeof object.text === 'string') checkMrkdwn(`${path}.text`, object.text, inBlocks);
      if (object.verbatim !== true)
        add(path, 'mrkdwn without verbatim: true (auto-links names and URLs)', '', 0);
    }
    for (const [key, child] of Object.entries(object)) {
      walk(child, path ? `${path}.${key}` : key, inBlocks || key === 'blocks' || key === 'view');
    }
  };

  if (typeof message === 'object' && message !== null) {
    const top = message as Json;
    if (typeof top.text === 'string') checkMrkdwn('text', top.text, false);
  }
  walk(message, '', false);
  return problems;
};

/** What a recorded call put on screen: the view for views.*, the message otherwise. */
const shownBy = (call: RecordedCall): unknown =>
  call.method.startsWith('views.') ? call.args.view : call.args;

/** Every inertness problem in every outbound call the fake recorded, plus any HTTP ack bodies given. */
export const allInertnessProblems = (
  calls: readonly RecordedCall[],
  ackBodies: readonly unknown[] = [],
  options: InertnessOptions = {},
): InertnessProblem[] => [
  ...calls
    .filter((call) => OUTBOUND_METHODS.has(call.method))
    .flatMap((call, i) => inertnessProblems(`${call.method} #${i}`, shownBy(call), options)),
  ...ackBodies.flatMap((body, i) => inertnessProblems(`ack #${i}`, body, options)),
];
