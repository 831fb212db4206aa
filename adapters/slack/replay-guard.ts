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

/** Global middleware: a request already handled is acknowledged and dropped. */
export const installReplayGuard = (app: App, store: Store, logger: Logger, now: () => Date): void => {
  app.use(async (args: AnyMiddlewareArgs & { next: () => Promise<void> }) => {
    const key = slackReplayKey(args.body as Body);
    if (key !== null && !(await store.replays.firstSeen(key, now()))) {
      logger.info({ replay: key.split(':').slice(0, 2).join(':') }, 'slack request replay ignored');
      if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return;
    }
    await args.next();
  });
};
