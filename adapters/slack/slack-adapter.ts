import { App } from '@slack/bolt';
import type { Actor } from '../../src/domain/report.ts';
import type { AdapterContext, ChatAdapter } from '../chat-adapter.ts';
import type { HttpRoute } from '../http/http-route.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerCardActions } from './handlers/card-actions.ts';
import { registerCommands } from './handlers/commands.ts';
import { registerIntakeSubmission } from './handlers/intake-submission.ts';
import { registerModalSubmissions } from './handlers/modal-submissions.ts';
import { errorText } from './handlers/slack-context.ts';
import { installReplayGuard } from './replay-guard.ts';
import type { SlackConfig } from './slack-config.ts';
import { createSlackDelivery } from './slack-delivery.ts';
import { SlackHttpReceiver } from './slack-http-receiver.ts';
import { createTriageChannelGuard } from './triage-channel-guard.ts';

export const createSlackAdapter = (context: AdapterContext, config: SlackConfig): ChatAdapter => {
  const { logger } = context;
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
  const receiver =
    config.mode.kind === 'http' ? new SlackHttpReceiver({ signingSecret: config.mode.signingSecret }) : null;
  const app = new App({
    token: config.botToken,
    ...(receiver
      ? { receiver }
      : { socketMode: true, appToken: config.mode.kind === 'socket' ? config.mode.appToken : '' }),
    convoStore: false,
    deferInitialization: true,
    logger: boltLogger(logger),
    clientOptions,
  });
  app.error(async (error) => {
    logger.error({ err: errorText(error) }, 'slack listener failed');
  });
  installReplayGuard(app, context.core.store, logger, context.core.now);
  const handlerContext = { ...context, triageChannel: config.triageChannel };
  registerCommands(app, handlerContext);
  registerIntakeSubmission(app, handlerContext);
  registerCardActions(app, handlerContext);
  registerModalSubmissions(app, handlerContext);

  const channelGuard = createTriageChannelGuard(app.client, config.triageChannel, logger);
  let connected = false;
  let teamUrl: string | null = null;
  /** Asked on every triage action, so leaving the group takes effect on the next click. */
  const isTriager = async (actor: Actor): Promise<boolean> => {
    if (actor.platform !== 'slack' || !config.triageUsergroup) return false;
    try {
      const listed = await app.client.usergroups.users.list({ usergroup: config.triageUsergroup });
      return (listed.users ?? []).includes(actor.userId);
    } catch (error) {
      // Deny, never grant; and say so, or a missing usergroups:read scope locks the team out silently.
      logger.warn(
        { err: errorText(error), usergroup: config.triageUsergroup },
        'slack usergroup lookup failed: triage rights from the group are denied until it works',
      );
      return false;
    }
  };

  const routes = new Map<string, HttpRoute>(receiver ? [['/slack/events', receiver.route]] : []);
  return {
    platform: 'slack',
    delivery: createSlackDelivery(app.client, {
      triageChannel: config.triageChannel,
      teamUrl: () => teamUrl,
      channelGuard,
    }),
    routes,
    isTriager,
    async start() {
      await app.init();
      const auth = await app.client.auth.test();
      teamUrl = typeof auth.url === 'string' ? auth.url : null;
      if (config.mode.kind === 'socket') await app.start();
      await channelGuard.problem();
      connected = true;
      logger.info({ mode: config.mode.kind }, 'slack adapter ready');
    },
    async stop() {
      connected = false;
      if (config.mode.kind === 'socket') await app.stop();
    },
    health: () => ({ connected, mode: config.mode.kind, triageChannelProblem: channelGuard.lastProblem() }),
    alerts: () => {
      const problem = channelGuard.lastProblem();
      return problem ? [`Slack: ${problem}; report messages are held until it is fixed.`] : [];
    },
  };
};
