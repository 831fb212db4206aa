import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../adapters/slack/render/modal-views.ts';
import { createLogger } from '../../src/logging/pino-logger.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { CARD_ACTIONS } from '../../src/views/triage-card.ts';
import { slackDriver, textValues } from '../e2e/slack/slack-driver.ts';
import {
  OUTSIDER,
  REPORTER,
  SIGNING_SECRET,
  startSlackHarness,
  TRIAGER,
} from '../e2e/slack/slack-harness.ts';
import {
  blockActionsPayload,
  postEvent,
  postInteraction,
  postSlashCommand,
  slashCommandFields,
} from '../fakes/slack/signed-request.ts';
import { FAKE } from './support/secrets.ts';
import { metadata, PLANTED, SECRET_REPORT, secretIntake } from './support/slack.ts';
import { pgliteSqlStore, type SqlTestStore } from './support/stores.ts';

const BOT_TOKEN = 'xoxb-test-token';

let db: SqlTestStore;
/** Every line the real pino logger wrote, as it would reach stdout / a log shipper. */
const pinoOutput: string[] = [];
/** Every line logged through the port, with its fields as the caller passed them (before any redaction). */
let memoryLines: string[] = [];
let linesBeforeTee = 0;
const sentSignatures: string[] = [];
const triggerIds: string[] = [];
const responseUrls: string[] = [];

beforeAll(async () => {
  db = await pgliteSqlStore();
  const pino = createLogger('debug', {
    write: (line: string) => {
      pinoOutput.push(line);
    },
  });
  const slack = await startSlackHarness(db, { pacing: false });
  // Every log call goes to the harness's memory logger and to pino, as main.ts would send it.
  const memory = slack.logger;
  linesBeforeTee = memory.lines.length;
  const tee = (level: keyof Logger) => {
    const original = memory[level].bind(memory);
    memory[level] = (fields, message) => {
      original(fields, message);
      pino[level](fields, message);
    };
  };
  for (const level of ['debug', 'info', 'warn', 'error'] as const) tee(level);

  const drive = slackDriver(slack);
  const respondTo = (id: string) => {
    const url = slack.api.responseUrl(id);
    responseUrls.push(url);
    return url;
  };
  try {
    // Intake of a secret-bearing report, and an invalid one (the error path logs too).
    const { id } = await drive.fileReport('V-LOG-1', secretIntake());
    await drive.submitIntake('V-LOG-BAD', {
      ...secretIntake(),
      title: { value: { type: 'plain_text_input', value: '' } },
    });
    // Triage clicks: acknowledge, severity, reveal, and a click by an outsider.
    await drive.click(TRIAGER, CARD_ACTIONS.acknowledge, id, { awaitReply: true });
    await drive.click(TRIAGER, CARD_ACTIONS.severity, id, { selected: 'high', awaitReply: true });
    await drive.click(TRIAGER, CARD_ACTIONS.reveal, id, { awaitReply: true });
    await drive.click(OUTSIDER, CARD_ACTIONS.assignToMe, id, { awaitReply: true });
    // A question and a secret-bearing answer from the reporter.
    await drive.click(TRIAGER, CARD_ACTIONS.status, id, { selected: 'needs_info' });
    await drive.submitModal(TRIAGER, CALLBACKS.needsInfo, metadata(id), textValues('Which bucket?'));
    await drive.submitModal(
      REPORTER,
      CALLBACKS.reporterAnswer,
      metadata(id),
      textValues(`bucket creds ${FAKE.awsAccessKey} ${FAKE.password}`),
    );
    // /vuln commands, including ones that fail.
    for (const text of [
      `show ${id}`,
      'list',
      `note ${id} password=${FAKE.password}`,
      `reveal ${id}`,
      'digest',
      'health',
      'show VULN-9999',
      'nonsense',
    ]) {
      await drive.command(TRIAGER, '/vuln', text);
    }
    await drive.command(REPORTER, '/report-vuln', 'status');

    // A replayed click, signed requests with a bad signature and a stale timestamp, an unsigned ssl_check.
    const click = blockActionsPayload({
      userId: TRIAGER.id,
      userName: TRIAGER.name,
      actionId: CARD_ACTIONS.reveal,
      blockId: `vuln_card|${id}`,
      value: id,
      channelId: 'CTRIAGE',
      messageTs: '1700000000.000100',
      triggerId: '111111111111.222222222222.0123456789abcdef0123456789abcdef',
      responseUrl: respondTo('replayed-click'),
    });
    triggerIds.push(click.trigger_id as string);
    await postInteraction(slack.baseUrl, SIGNING_SECRET, click);
    await postInteraction(slack.baseUrl, SIGNING_SECRET, click);
    const forged = `v0=${'ab'.repeat(32)}`;
    sentSignatures.push(forged);
    const command = slashCommandFields({
      command: '/vuln',
      text: `reveal ${id}`,
      userId: TRIAGER.id,
      userName: TRIAGER.name,
      channelId: 'CTRIAGE',
      responseUrl: respondTo('forged'),
    });
    triggerIds.push(command.trigger_id as string);
    expect(
      (await postSlashCommand(slack.baseUrl, SIGNING_SECRET, command, { signatureOverride: forged })).status,
    ).toBe(401);
    expect(
      (
        await postSlashCommand(slack.baseUrl, SIGNING_SECRET, command, {
          timestamp: Math.floor(Date.now() / 1000) - 3600,
        })
      ).status,
    ).toBe(401);
    expect((await postSlashCommand(slack.baseUrl, 'wrong-secret', command)).status).toBe(401);
    expect(
      (
        await fetch(`${slack.baseUrl}/slack/events`, {
          method: 'POST',
          body: 'ssl_check=1&token=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(401);
    await postEvent(slack.baseUrl, SIGNING_SECRET, {
      type: 'event_callback',
      event_id: 'Ev1',
      event: { type: 'app_mention', text: SECRET_REPORT.title },
    });
    // The database refuses a report: the failed query (with the report in its parameters) must not be logged.
    await db.exec(`create function refuse_reports() returns trigger language plpgsql as $$
      begin raise exception 'disk full'; end $$;
      create trigger refuse_reports before insert on reports for each row execute function refuse_reports();`);
    const refused = await drive.submitIntake('V-LOG-DBFAIL', secretIntake());
    expect(JSON.stringify(refused.json)).toContain('could not save your report');
    await db.exec('drop trigger refuse_reports on reports');
    // A delivery failure: the DM channel cannot be opened once.
    slack.api.respondOnce('chat.postMessage', { ok: false, error: 'channel_not_found' });
    await drive.command(TRIAGER, '/vuln', `note ${id} after a failure`);
    await drive.settle();
    for (const call of slack.api.calls) {
      if (typeof call.args.trigger_id === 'string') triggerIds.push(call.args.trigger_id);
    }
  } finally {
    memoryLines = memory.lines.map((line) => JSON.stringify(line));
    await slack.close();
  }
}, 60_000);

afterAll(async () => {
  await db.close();
});

const everyLogLine = () => [...memoryLines, ...pinoOutput];

/** The forbidden values that appear in the logs, as `name: line` pairs. */
const leaksOf = (values: readonly (readonly [string, string])[]) =>
  everyLogLine().flatMap((line) =>
    values
      .filter(([, value]) => value.length > 0 && line.includes(value))
      .map(([name]) => `${name}: ${line}`),
  );

describe('the logs of a full Slack flow with a secret-bearing report', () => {
  it('were written, by the port and by pino', () => {
    expect(memoryLines.length).toBeGreaterThanOrEqual(5);
    expect(pinoOutput.length).toBe(memoryLines.length - linesBeforeTee);
    expect(pinoOutput.join('')).toContain('slack request refused: bad signature');
    expect(pinoOutput.join('')).toContain('slack report received');
    expect(pinoOutput.join('')).toContain('slack report could not be stored');
  });

  it('contain no report text: title, description, impact, answers or notes', () => {
    const texts = [
      ['title', SECRET_REPORT.title],
      ['impact', SECRET_REPORT.impact],
      ['impact marker', 'impact-phrase-7c1e'],
      ...SECRET_REPORT.description.split('\n').map((line, i) => [`description line ${i + 1}`, line] as const),
      ['question', 'Which bucket?'],
      ['note', 'after a failure'],
    ] as const;
    expect(leaksOf(texts)).toEqual([]);
  });

  it('contain none of the secrets in the report', () => {
    expect(leaksOf(PLANTED.map((p) => [p.placeholder, p.secret] as const))).toEqual([]);
    expect(leaksOf([['answer secret', FAKE.awsAccessKey]])).toEqual([]);
  });

  it('contain no bot token, signing secret or signature', () => {
    expect(
      leaksOf([
        ['bot token', BOT_TOKEN],
        ['signing secret', SIGNING_SECRET],
      ]),
    ).toEqual([]);
    expect(leaksOf(sentSignatures.map((s) => ['forged signature', s] as const))).toEqual([]);
    expect(everyLogLine().filter((line) => /v0=[0-9a-f]{64}/.test(line))).toEqual([]);
  });

  it('contain no response_url and no trigger_id', () => {
    expect(triggerIds.length).toBeGreaterThanOrEqual(3);
    expect(leaksOf(responseUrls.map((url) => ['response_url', url] as const))).toEqual([]);
    expect(everyLogLine().filter((line) => line.includes('/response/'))).toEqual([]);
    expect(leaksOf(triggerIds.map((id) => ['trigger_id', id] as const))).toEqual([]);
    // Any trigger ID the driver made up has Slack's shape: none may appear either.
    expect(everyLogLine().filter((line) => /\d{12}\.\d{12}\.[0-9a-f]{32}/.test(line))).toEqual([]);
  });
});

describe('the pino logger', () => {
  it('redacts sensitive field names wherever a caller passes them', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.info(
      {
        token: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        response_url: 'https://hooks.slack.com/actions/T1/1/abc',
        trigger_id: '1.2.abc',
        request: { body: SECRET_REPORT.description, headers: { authorization: `Bearer ${FAKE.jwt}` } },
        report: {
          title: SECRET_REPORT.title,
          description: SECRET_REPORT.description,
          impact: SECRET_REPORT.impact,
        },
      },
      'careless caller',
    );
    const out = lines.join('');
    expect(out).toContain('careless caller');
    for (const value of [
      BOT_TOKEN,
      SIGNING_SECRET,
      'hooks.slack.com',
      '1.2.abc',
      FAKE.jwt,
      SECRET_REPORT.title,
      SECRET_REPORT.impact,
    ]) {
      expect(out).not.toContain(value);
    }
    expect(out).not.toContain('Steps: open');
  });
});
