import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import type { Logger } from '../../src/ports/logger.ts';
import type { Store } from '../../src/ports/store.ts';

type Body = Record<string, unknown>;

/**
 * A key that names one user request, whatever transport or retry delivers it: the action timestamp and
 * user of a click, the trigger ID of a slash command, the event ID of an event. View submissions are
 * made idempotent by their use cases instead (a corrected resubmission of a form must go through).
 */
export const slackReplayKey = (body: Body): string | null => {
  if (body.type === 'block_actions') {
    const action = (body.actions as { action_ts?: string }[] | undefined)?.[0];
    const user = (body.user as { id?: string } | undefined)?.id;
    return action?.action_ts && user ? `slack:action:${user}:${action.action_ts}` : null;
  }
  if (typeof body.command === 'string' && typeof body.trigger_id === 'string')
    return `slack:command:${body.trigger_id}`;
  if (body.type === 'event_callback' && typeof body.event_id === 'string')
    return `slack:event:${body.event_id}`;
  return null;
};

const REPLAY_CHECK = 'vulndeskReplayed';

/**
 * Global middleware: gives the handlers a check that records the request's key when they first ask.
 * Nothing runs before the handler, so a form opens and a request is acknowledged without waiting for
 * the database; handlers acknowledge first, then ask `isReplay` before doing any work. A handler that
 * never asks (opening the intake form) costs no database write.
 */
export const installReplayGuard = (app: App, store: Store, logger: Logger, now: () => Date): void => {
  app.use(
    async (args: AnyMiddlewareArgs & { context: Record<string, unknown>; next: () => Promise<void> }) => {
      const key = slackReplayKey(args.body as Body);
      let check: Promise<boolean> | undefined;
      args.context[REPLAY_CHECK] = (): Promise<boolean> => {
        check ??=
          key === null
            ? Promise.resolve(false)
            : store.replays.firstSeen(key, now()).then(
                (first) => {
                  if (!first)
                    logger.info(
                      { replay: key.split(':').slice(0, 2).join(':') },
                      'slack request replay ignored',
                    );
                  return !first;
                },
                () => false,
              );
        return check;
      };
      await args.next();
    },
  );
};

/** True when the request was handled before (by this or another replica): do nothing more. */
export const isReplay = async (context: Record<string, unknown>): Promise<boolean> =>
  (await (context[REPLAY_CHECK] as (() => Promise<boolean>) | undefined)?.()) ?? false;
