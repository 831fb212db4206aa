import { describe, expect, it } from 'vitest';
import { slackConfigFrom } from '../../../adapters/slack/slack-config.ts';
import { SlackHttpReceiver } from '../../../adapters/slack/slack-http-receiver.ts';
import { type Env, envSchema } from '../../../src/config/env-schema.ts';

/** The environment as the app reads it: through the schema, exactly like start-up does. */
const envFrom = (vars: Record<string, string>): Env => envSchema.parse(vars);

const HTTP_VARS = {
  SLACK_BOT_TOKEN: 'xoxb-1-abc',
  SLACK_SIGNING_SECRET: 'shh-secret',
  SLACK_TRIAGE_CHANNEL: 'C0TRIAGE',
};
const SOCKET_VARS = {
  SLACK_BOT_TOKEN: 'xoxb-1-abc',
  SLACK_APP_TOKEN: 'xapp-1-A1-abc',
  SLACK_TRIAGE_CHANNEL: 'C0TRIAGE',
};

const problemsOf = (vars: Record<string, string>): string => {
  const result = slackConfigFrom(envFrom(vars));
  if (result.ok) throw new Error(`expected a configuration error, got ${JSON.stringify(result.value)}`);
  return result.error.message;
};

describe('slackConfigFrom', () => {
  it('builds an HTTP-mode configuration from a bot token, signing secret and triage channel', () => {
    const result = slackConfigFrom(envFrom({ ...HTTP_VARS, SLACK_TRIAGE_USERGROUP: 'S0TRIAGE' }));
    expect(result).toEqual({
      ok: true,
      value: {
        botToken: 'xoxb-1-abc',
        triageChannel: 'C0TRIAGE',
        mode: { kind: 'http', signingSecret: 'shh-secret' },
        triageUsergroup: 'S0TRIAGE',
        apiUrl: null,
      },
    });
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'missing', undefined],
    ['SLACK_BOT_TOKEN', 'empty', ''],
    ['SLACK_BOT_TOKEN', 'blank', '   '],
    ['SLACK_TRIAGE_CHANNEL', 'missing', undefined],
    ['SLACK_TRIAGE_CHANNEL', 'empty', ''],
    ['SLACK_TRIAGE_CHANNEL', 'blank', ' \t '],
    ['SLACK_SIGNING_SECRET', 'missing', undefined],
    ['SLACK_SIGNING_SECRET', 'empty', ''],
    ['SLACK_SIGNING_SECRET', 'blank', '  \t  '],
  ] as const)('names %s when it is %s (HTTP mode)', (name, _how, value) => {
    const vars: Record<string, string> = { ...HTTP_VARS };
    if (value === undefined) delete vars[name];
    else vars[name] = value;
    expect(problemsOf(vars)).toContain(name);
  });

  it('names every missing variable at once, not just the first', () => {
    const message = problemsOf({});
    expect(message).toContain('SLACK_BOT_TOKEN');
    expect(message).toContain('SLACK_TRIAGE_CHANNEL');
    expect(message).toContain('SLACK_SIGNING_SECRET');
  });

  it('Socket Mode needs no signing secret', () => {
    const result = slackConfigFrom(envFrom(SOCKET_VARS));
    expect(result).toMatchObject({
      ok: true,
      value: { mode: { kind: 'socket', appToken: 'xapp-1-A1-abc' } },
    });
  });

  it('Socket Mode still needs the bot token and triage channel', () => {
    const { SLACK_BOT_TOKEN: _bot, ...noBot } = SOCKET_VARS;
    const { SLACK_TRIAGE_CHANNEL: _channel, ...noChannel } = SOCKET_VARS;
    expect(problemsOf(noBot)).toContain('SLACK_BOT_TOKEN');
    expect(problemsOf(noChannel)).toContain('SLACK_TRIAGE_CHANNEL');
  });

  it('refuses an app token that is not an app-level (xapp-) token', () => {
    expect(problemsOf({ ...SOCKET_VARS, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' })).toContain(
      'SLACK_APP_TOKEN',
    );
  });

  it('a blank app token does not switch to Socket Mode: HTTP mode then needs the signing secret', () => {
    const message = problemsOf({ ...SOCKET_VARS, SLACK_APP_TOKEN: '   ' });
    expect(message).toContain('SLACK_SIGNING_SECRET');
  });

  it('never accepts an empty or blank signing secret in HTTP mode, even from an untrimmed environment', () => {
    for (const secret of ['', ' ', '\t\n', '   ']) {
      const env = { ...envFrom(HTTP_VARS), SLACK_SIGNING_SECRET: secret };
      const result = slackConfigFrom(env);
      expect(result.ok, JSON.stringify(secret)).toBe(false);
      if (!result.ok) expect(result.error.message).toContain('SLACK_SIGNING_SECRET');
    }
  });

  it('trims the signing secret it accepts', () => {
    const result = slackConfigFrom(envFrom({ ...HTTP_VARS, SLACK_SIGNING_SECRET: '  shh-secret \n' }));
    expect(result).toMatchObject({
      ok: true,
      value: { mode: { kind: 'http', signingSecret: 'shh-secret' } },
    });
  });

  it('accepts a Web API base URL ending in /api/ and names SLACK_API_URL otherwise', () => {
    const good = slackConfigFrom(envFrom({ ...HTTP_VARS, SLACK_API_URL: 'http://127.0.0.1:9/api/' }));
    expect(good).toMatchObject({ ok: true, value: { apiUrl: 'http://127.0.0.1:9/api/' } });
    expect(problemsOf({ ...HTTP_VARS, SLACK_API_URL: 'https://slack.com/api' })).toContain('SLACK_API_URL');
    expect(problemsOf({ ...HTTP_VARS, SLACK_API_URL: 'slack.com/api/' })).toContain('SLACK_API_URL');
  });
});

describe('SlackHttpReceiver', () => {
  it.each(['', ' ', '\t', '\n  '])('refuses to be built with a blank signing secret (%j)', (secret) => {
    expect(() => new SlackHttpReceiver({ signingSecret: secret })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('can be built with a real secret', () => {
    expect(new SlackHttpReceiver({ signingSecret: 'shh' })).toBeInstanceOf(SlackHttpReceiver);
  });
});
