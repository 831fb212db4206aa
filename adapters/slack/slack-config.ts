import type { Env } from '../../src/config/env-schema.ts';
import { fail, ok, type Result } from '../../src/domain/result.ts';

export interface SlackConfig {
  readonly botToken: string;
  readonly triageChannel: string;
  readonly mode:
    | { readonly kind: 'http'; readonly signingSecret: string }
    | { readonly kind: 'socket'; readonly appToken: string };
  readonly triageUsergroup: string | null;
  readonly apiUrl: string | null;
}

/** Slack settings, or a message naming each missing variable. Socket Mode needs no signing secret. */
export const slackConfigFrom = (env: Env): Result<SlackConfig> => {
  const problems: string[] = [];
  // Trimmed here too, not only by the schema: a blank secret or token must never pass as a value.
  const botToken = env.SLACK_BOT_TOKEN?.trim() ?? '';
  const triageChannel = env.SLACK_TRIAGE_CHANNEL?.trim() ?? '';
  const appToken = env.SLACK_APP_TOKEN?.trim() ?? '';
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() ?? '';
  if (!botToken) problems.push('SLACK_BOT_TOKEN is empty');
  if (!triageChannel)
    problems.push('SLACK_TRIAGE_CHANNEL is missing or empty: set it to the private triage channel ID (C...)');
  if (appToken && !appToken.startsWith('xapp-'))
    problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-...)');
  if (!appToken && !signingSecret) {
    problems.push(
      'SLACK_SIGNING_SECRET is missing or empty: HTTP mode needs it (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (env.SLACK_API_URL && !/^https?:\/\/.+\/api\/$/.test(env.SLACK_API_URL)) {
    problems.push('SLACK_API_URL must be a Web API base ending in /api/ (e.g. https://slack.com/api/)');
  }
  if (problems.length > 0) return fail('config.invalid', problems.join('\n'));
  return ok({
    botToken,
    triageChannel,
    mode: appToken ? { kind: 'socket', appToken } : { kind: 'http', signingSecret },
    triageUsergroup: env.SLACK_TRIAGE_USERGROUP || null,
    apiUrl: env.SLACK_API_URL || null,
  });
};
