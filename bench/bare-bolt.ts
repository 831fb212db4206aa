/**
 * The baseline: a bare Bolt app on its default HTTPReceiver whose handlers only call `ack()`. Same
 * signing secret, same payloads and same load as the real bot, so every bot figure can be read as a
 * multiple of what Bolt itself costs on this machine. Prints `{"bareBolt":<port>}` when listening.
 *
 * Env: BENCH_SIGNING_SECRET, BENCH_SLACK_API_URL (the fake; Bolt calls auth.test at start-up).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  signingSecret: process.env.BENCH_SIGNING_SECRET ?? '',
  token: process.env.BENCH_BOT_TOKEN ?? 'xoxb-bench-token',
  convoStore: false,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.BENCH_SLACK_API_URL ?? '', retryConfig: { retries: 0 } },
});

app.command(/.*/, async ({ ack }) => {
  await ack();
});
app.view(/.*/, async ({ ack }) => {
  await ack();
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});

const server = (await app.start(0)) as Server;
process.stdout.write(`${JSON.stringify({ bareBolt: (server.address() as AddressInfo).port })}\n`);

const shutdown = () => {
  void app.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
