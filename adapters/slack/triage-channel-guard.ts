import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/ports/logger.ts';

const CHECK_EVERY_MS = 60_000;

export interface ChannelGuard {
  /** Null when the channel is private to this workspace; otherwise why report content is held. */
  problem(): Promise<string | null>;
  /** The last known problem, without asking Slack. */
  lastProblem(): string | null;
}

/**
 * Report content goes only to a private channel of this workspace: not a public channel, not one shared
 * with another organisation. When that cannot be confirmed, messages are held, never posted.
 */
export const createTriageChannelGuard = (
  client: webApi.WebClient,
  channel: string,
  logger: Logger,
  now: () => number = Date.now,
): ChannelGuard => {
  let checked: { at: number; problem: string | null } | null = null;
  const check = async (): Promise<string | null> => {
    try {
      const info = await client.conversations.info({ channel });
      const c = info.channel as
        | {
            is_private?: boolean;
            is_ext_shared?: boolean;
            is_org_shared?: boolean;
            is_shared?: boolean;
            is_pending_ext_shared?: boolean;
          }
        | undefined;
      if (!c?.is_private) return 'the triage channel is not private';
      if (c.is_ext_shared || c.is_shared || c.is_pending_ext_shared)
        return 'the triage channel is shared with another organisation';
      return null;
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error ?? 'request_failed';
      return `the triage channel could not be checked (${code}); invite the bot and grant groups:read`;
    }
  };
  return {
    async problem() {
      if (checked && now() - checked.at < CHECK_EVERY_MS) return checked.problem;
      const problem = await check();
      if (problem && problem !== checked?.problem) {
        logger.error({ channel, problem }, 'slack triage channel is not safe: report messages are held');
      }
      checked = { at: now(), problem };
      return problem;
    },
    lastProblem: () => checked?.problem ?? null,
  };
};
