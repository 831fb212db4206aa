import { createScheduler } from '../../../src/scheduling/scheduler.ts';
import { intakeValues } from '../../e2e/slack/intake-values.ts';
import type { SlackHarness } from '../../e2e/slack/slack-harness.ts';
import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';
import { FAKE } from './secrets.ts';

/** A report with a Slack token in its title and an AWS key, a JWT and a password in its description. */
export const SECRET_REPORT = {
  title: `Slack token ${FAKE.slackBotToken} exposed in bundle`,
  description: [
    'Steps: open https://app.example.com/static/main.js and search for "config".',
    `It holds aws_access_key_id=${FAKE.awsAccessKey} and a session ${FAKE.jwt}.`,
    `The admin login also works with password=${FAKE.password} on /admin.`,
  ].join('\n'),
  impact: 'Full control of the workspace bot and the S3 bucket (marker: impact-phrase-7c1e).',
} as const;

/** Each secret planted in SECRET_REPORT, and the placeholder that must stand in for it in chat. */
export const PLANTED: readonly { secret: string; placeholder: string }[] = [
  { secret: FAKE.slackBotToken, placeholder: '[redacted: Slack token]' },
  { secret: FAKE.awsAccessKey, placeholder: '[redacted: AWS access key]' },
  { secret: FAKE.jwt, placeholder: '[redacted: JWT]' },
  { secret: FAKE.password, placeholder: '[redacted: password]' },
];

export const secretIntake = () => intakeValues(SECRET_REPORT);

export const metadata = (reportId: string) => JSON.stringify({ reportId });

/** Everything a recorded call carried, as one searchable string. */
export const wholeCall = (call: RecordedCall): string => JSON.stringify(call.args);

/** The secrets (if any) that a piece of chat content shows. */
export const secretsIn = (content: string): string[] =>
  PLANTED.map((p) => p.secret).filter((secret) => content.includes(secret));

/** Posts the day's digest to the triage channel now, as the scheduler does at DIGEST_TIME. */
export const postDigestNow = async (slack: SlackHarness) => {
  const scheduler = createScheduler({
    core: slack.core,
    schedule: { time: '00:00', weekdaysOnly: false },
    claimedBy: 'security-test',
    wakeOutbox: () => slack.worker.wake(),
  });
  return scheduler.tick();
};

/** Wires `/vuln health` to the adapter's alerts, as the composition root does. */
export const wireAlerts = (slack: SlackHarness) => {
  Object.assign(slack.core, { alerts: () => slack.adapter.alerts?.() ?? [] });
};
