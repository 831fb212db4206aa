import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPayload } from '../../src/security/mask-payload.ts';
import { maskSensitive, maskText, placeholder, secretKinds } from '../../src/security/sensitive-data.ts';
import { FAKE, luhnComplete } from './support/secrets.ts';

/** What each detector must hide, in the context a reporter would paste it, and the placeholder it leaves. */
const POSITIVES: readonly { name: string; text: string; secret: string; kind: string }[] = [
  {
    name: 'Slack bot token',
    text: `SLACK_BOT_TOKEN ${FAKE.slackBotToken} leaked`,
    secret: FAKE.slackBotToken,
    kind: 'Slack token',
  },
  {
    name: 'Slack user token',
    text: `token in JS bundle: "${FAKE.slackUserToken}"`,
    secret: FAKE.slackUserToken,
    kind: 'Slack token',
  },
  {
    name: 'Slack app-level token',
    text: `found ${FAKE.slackAppToken}`,
    secret: FAKE.slackAppToken,
    kind: 'Slack app token',
  },
  {
    name: 'Slack incoming webhook',
    text: `curl -X POST ${FAKE.slackWebhook}`,
    secret: FAKE.slackWebhook,
    kind: 'Slack webhook',
  },
  {
    name: 'GitHub classic token',
    text: `git clone https://x:${FAKE.githubClassic}@github.com/o/r`,
    secret: FAKE.githubClassic,
    kind: 'GitHub token',
  },
  {
    name: 'GitHub fine-grained token',
    text: `GH=${FAKE.githubFineGrained}`,
    secret: FAKE.githubFineGrained,
    kind: 'GitHub token',
  },
  {
    name: 'AWS access key ID',
    text: `aws_access_key_id = ${FAKE.awsAccessKey}`,
    secret: FAKE.awsAccessKey,
    kind: 'AWS access key',
  },
  {
    name: 'AWS secret access key',
    text: `aws_secret_access_key = ${FAKE.awsSecretKey}`,
    secret: FAKE.awsSecretKey,
    kind: 'AWS secret key',
  },
  {
    name: 'Discord bot token',
    text: `client.login('${FAKE.discordBotToken}')`,
    secret: FAKE.discordBotToken,
    kind: 'Discord token',
  },
  {
    name: 'Discord webhook',
    text: `POST ${FAKE.discordWebhook}`,
    secret: FAKE.discordWebhook,
    kind: 'Discord webhook',
  },
  {
    name: 'Stripe secret key',
    text: `stripe.api_key ${FAKE.stripeSecret}`,
    secret: FAKE.stripeSecret,
    kind: 'Stripe key',
  },
  {
    name: 'Stripe restricted key',
    text: `key ${FAKE.stripeRestricted}.`,
    secret: FAKE.stripeRestricted,
    kind: 'Stripe key',
  },
  { name: 'JWT', text: `Cookie: auth=${FAKE.jwt}; Path=/`, secret: FAKE.jwt, kind: 'JWT' },
  {
    name: 'RSA private key (PEM)',
    text: `id_rsa:\n${FAKE.rsaPrivateKey}\nend`,
    secret: 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn',
    kind: 'private key',
  },
  {
    name: 'OpenSSH private key',
    text: FAKE.opensshPrivateKey,
    secret: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU',
    kind: 'private key',
  },
  {
    name: 'PGP private key block',
    text: `key:\n${FAKE.pgpPrivateKey}`,
    secret: 'lQOYBGB2bXcBCADFakeKeyMaterial',
    kind: 'private key',
  },
  {
    name: 'password= assignment',
    text: `login with password=${FAKE.password} works`,
    secret: FAKE.password,
    kind: 'password',
  },
  {
    name: 'JSON "password" field',
    text: `{"user":"admin","password": "${FAKE.password}"}`,
    secret: FAKE.password,
    kind: 'password',
  },
  {
    name: 'environment variable (DB_PASSWORD=)',
    text: `.env exposed: DB_PASSWORD=${FAKE.password}`,
    secret: FAKE.password,
    kind: 'password',
  },
  {
    name: 'Django SECRET_KEY',
    text: `SECRET_KEY='django-insecure-${FAKE.password}'`,
    secret: FAKE.password,
    kind: 'password',
  },
  {
    name: 'api_key query parameter',
    text: `GET /v1/data?api_key=${FAKE.password}&q=1`,
    secret: FAKE.password,
    kind: 'password',
  },
  {
    name: 'credentials in a connection URL',
    text: `postgres://admin:${FAKE.password}@localhost:5432/app`,
    secret: FAKE.password,
    kind: 'password',
  },
  {
    name: 'Authorization: Bearer header',
    text: `curl -H "Authorization: Bearer ${FAKE.password}0a9b8c7d" https://x`,
    secret: `${FAKE.password}0a9b8c7d`,
    kind: 'authorization header',
  },
  {
    name: 'Authorization: Basic header',
    text: 'Authorization: Basic YWRtaW46aHVudGVyMg==',
    secret: 'YWRtaW46aHVudGVyMg==',
    kind: 'authorization header',
  },
  {
    name: 'bare bearer token',
    text: 'send it as bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    secret: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    kind: 'bearer token',
  },
  {
    name: 'Luhn-valid card number',
    text: `card ${FAKE.visa} charged`,
    secret: FAKE.visa,
    kind: 'card number',
  },
  {
    name: 'card number in groups',
    text: `card: ${FAKE.visaSpaced}`,
    secret: FAKE.visaSpaced,
    kind: 'card number',
  },
  {
    name: 'card number with dashes',
    text: `(${FAKE.mastercardDashed})`,
    secret: FAKE.mastercardDashed,
    kind: 'card number',
  },
  {
    name: 'card number followed by its expiry',
    text: `${FAKE.visaSpaced} 12/29 cvc 123`,
    secret: FAKE.visaSpaced,
    kind: 'card number',
  },
  {
    name: 'American Express number (15 digits)',
    text: `amex ${FAKE.amex}`,
    secret: FAKE.amex,
    kind: 'card number',
  },
  { name: 'e-mail address', text: `victim: ${FAKE.email}.`, secret: FAKE.email, kind: 'e-mail address' },
  {
    name: 'international phone number',
    text: `call ${FAKE.phoneInternational}`,
    secret: FAKE.phoneInternational,
    kind: 'phone number',
  },
  {
    name: 'US phone number with area code',
    text: `phone ${FAKE.phoneUs}`,
    secret: FAKE.phoneUs,
    kind: 'phone number',
  },
  {
    name: 'dotted phone number',
    text: `tel ${FAKE.phoneDotted}`,
    secret: FAKE.phoneDotted,
    kind: 'phone number',
  },
  { name: 'UK phone number', text: `ring ${FAKE.phoneUk}`, secret: FAKE.phoneUk, kind: 'phone number' },
];

/** Text that looks a little like a secret or personal data but is neither: it must pass untouched. */
const NEAR_MISSES: readonly { name: string; text: string }[] = [
  { name: 'version numbers', text: 'Fixed in v1.2.3, 2.14.0-rc.1 and Node 20.11.1; see 10.0.19045.2965' },
  {
    name: 'IPv4 and IPv6 addresses',
    text: 'from 192.168.100.200 and 10.0.0.1 to 203.0.113.195, also 2001:db8::8a2e:370:7334',
  },
  {
    name: 'dates and timestamps',
    text: 'on 2026-11-26, 26/11/2026, at 2026-11-26T09:00:00.000Z and 1700000000',
  },
  { name: 'a UUID', text: 'request id 550e8400-e29b-41d4-a716-446655440000' },
  { name: 'a Luhn-invalid 16-digit number', text: 'order 4111 1111 1111 1112 and 4111111111111112' },
  { name: 'hex commit SHAs', text: 'introduced in 3f786850e387550fdab836ed7e6dc881de23001b (short 3f78685)' },
  { name: 'a long numeric identifier', text: 'snowflake 112233445566778899 and 123456789012345678901234' },
  {
    name: 'a CVSS vector and a CVE ID',
    text: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H for CVE-2024-12345',
  },
  { name: 'the word password without a value', text: 'the password reset page leaks the password length' },
  { name: 'authorization in prose', text: 'Missing authorization: anyone can call it' },
  {
    name: 'mentions and hosts that are not e-mail addresses',
    text: '@here see user@localhost and @types/node',
  },
  { name: 'a port and a path', text: 'localhost:5432/app and https://example.com:8443/a/b?c=d' },
  { name: 'an AWS-like word that is too short', text: 'AKIA1234 is not a key' },
  { name: 'a Stripe publishable prefix without a key', text: 'sk_live_ alone' },
];

describe('masking secrets and personal data before they reach chat', () => {
  it.each(POSITIVES)('hides a $name behind a typed placeholder', ({ text, secret, kind }) => {
    const masked = maskSensitive(text);
    expect(masked.text).not.toContain(secret);
    expect(masked.text).toContain(placeholder(kind));
    expect(masked.findings.map((f) => f.kind)).toContain(kind);
  });

  it('names the type in the placeholder, e.g. [redacted: AWS access key]', () => {
    expect(maskText(`key ${FAKE.awsAccessKey}`)).toBe('key [redacted: AWS access key]');
  });

  it('keeps the label and masks only the value of labelled secrets', () => {
    expect(maskText(`password=${FAKE.password} next`)).toBe('password=[redacted: password] next');
    expect(maskText(`aws_secret_access_key = ${FAKE.awsSecretKey}`)).toBe(
      'aws_secret_access_key = [redacted: AWS secret key]',
    );
    expect(maskText(`postgres://admin:${FAKE.password}@db.internal:5432/app`)).toBe(
      'postgres://admin:[redacted: password]@db.internal:5432/app',
    );
  });

  it('masks only the card number in a run of digits that also holds its expiry', () => {
    expect(maskText(`${FAKE.visaSpaced} 12 29`)).toBe('[redacted: card number] 12 29');
  });

  it.each(NEAR_MISSES)('leaves $name untouched', ({ text }) => {
    const masked = maskSensitive(text);
    expect(masked.text).toBe(text);
    expect(masked.findings).toEqual([]);
  });

  it('asks the reporter to rotate secrets, but not personal data', () => {
    const found = maskSensitive(`${FAKE.awsAccessKey} ${FAKE.email} ${FAKE.visa} ${FAKE.phoneUk}`).findings;
    expect(secretKinds(found)).toEqual(['AWS access key']);
  });

  it('masks every text an outbound message carries (thread notes, notices, channel text)', () => {
    const secret = `token ${FAKE.slackBotToken}`;
    const note = maskPayload({ type: 'thread_note', text: secret });
    const notice = maskPayload({
      type: 'reporter_notice',
      notice: { kind: 'message', reportId: 'VULN-0001', title: secret, lines: [secret], canReply: true },
    });
    const channel = maskPayload({ type: 'channel_text', title: secret, lines: [secret] });
    expect(JSON.stringify([note, notice, channel])).not.toContain(FAKE.slackBotToken);
  });
});

/**
 * Inputs shaped to make a backtracking regular expression explode, 4,000 characters each. The bound is
 * generous on purpose (a shared CI machine may be slow): it only catches catastrophic backtracking.
 * How fast masking is belongs to the benchmark, not to this test.
 */
const ADVERSARIAL: readonly [string, string][] = [
  ['private key header without an end', `-----BEGIN ${'A '.repeat(20)}`.repeat(100)],
  ['private key body without dashes', `-----BEGIN RSA PRIVATE KEY-----${'a'.repeat(4000)}`],
  ['Slack token prefixes', 'xoxb-'.repeat(800)],
  ['Slack token that never ends', `xoxb-${'a-'.repeat(2000)}`],
  ['Slack webhook path', `https://hooks.slack.com/services/${'a/'.repeat(2000)}`],
  ['GitHub token prefixes', 'ghp_'.repeat(1000)],
  ['GitHub token too long', `github_pat_${'a'.repeat(4000)}`],
  ['AWS key prefixes', 'AKIA'.repeat(1000)],
  ['AWS secret label without a key', 'aws_secret_access_key = '.repeat(170)],
  ['Discord-like dotted runs', `M${'a'.repeat(29)}.`.repeat(130)],
  ['Discord-like runs of dashes', 'M-'.repeat(2000)],
  ['Discord webhook digits', `https://discord.com/api/webhooks/${'1'.repeat(4000)}`],
  ['Stripe key that never ends', `sk_live_${'a'.repeat(4000)}`],
  ['JWT without a signature', `eyJ${'a'.repeat(1990)}.eyJ${'a'.repeat(1990)}`],
  ['JWT-like repeated parts', 'eyJaaaaa.'.repeat(450)],
  ['authorization header that never ends', `Authorization: Bearer ${'a'.repeat(4000)}!`],
  ['authorization labels', 'authorization: '.repeat(270)],
  ['bearer words', 'bearer '.repeat(580)],
  ['password labels', 'password='.repeat(450)],
  ['password label with an unterminated quote', `DB_PASSWORD="${'a'.repeat(4000)}`],
  ['URL credentials without a host', `postgres://${'a'.repeat(100)}:${'b'.repeat(4000)}`],
  ['URL schemes', 'a://b:'.repeat(700)],
  ['spaced single digits', '1 '.repeat(2000)],
  ['dashed single digits', '1-'.repeat(2000)],
  ['one long digit run', '4'.repeat(4000)],
  ['digits and letters', '1a'.repeat(2000)],
  ['e-mail local part without @', `${'a'.repeat(4000)}@`],
  ['many @', 'a@'.repeat(2000)],
  ['dotted domain without end', `a@${'a.'.repeat(2000)}`],
  ['@-dots', '@a.'.repeat(1400)],
  ['plus signs and digits', '+1 '.repeat(1400)],
  ['phone-like groups', '123-'.repeat(1000)],
  ['area codes', '(123) '.repeat(700)],
  ['international prefix and long groups', `+1${' 12'.repeat(1400)}`],
  ['mixed separators', '1.2-3 4'.repeat(600)],
];

describe('masking runs in linear time', () => {
  it.each(ADVERSARIAL)(
    'finishes an adversarial 4,000-character input (%s) in well under a second',
    (_, raw) => {
      const input = raw.padEnd(4000, ' ').slice(0, 4000);
      expect(input).toHaveLength(4000);
      const started = performance.now();
      maskSensitive(input);
      expect(performance.now() - started).toBeLessThan(250);
    },
  );
});

const lowerFiller = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz  .,\n'),
  maxLength: 30,
});
const alnum = (length: number) =>
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    minLength: length,
    maxLength: length,
  });
const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

/** A planted secret: `text` goes into the report, `secret` must not be readable afterwards. */
const planted = fc.oneof(
  fc
    .tuple(fc.constantFrom('b', 'p', 'a', 'r'), digits(10), alnum(24))
    .map(([t, d, r]) => ({ text: `xox${t}-${d}-${r}`, secret: `xox${t}-${d}-${r}` })),
  alnum(16).map((r) => {
    const key = `AKIA${r.toUpperCase()}`;
    return { text: key, secret: key };
  }),
  alnum(36).map((r) => ({ text: `ghp_${r}`, secret: `ghp_${r}` })),
  alnum(24).map((r) => ({ text: `sk_live_${r}`, secret: `sk_live_${r}` })),
  fc.tuple(alnum(20), alnum(30), alnum(43)).map(([h, p, s]) => {
    const token = `eyJ${h}.eyJ${p}.${s}`;
    return { text: token, secret: token };
  }),
  fc
    .tuple(fc.constantFrom('password', 'PASSWORD', 'DB_PASSWORD', 'api_key', 'client_secret'), alnum(12))
    .map(([label, value]) => ({ text: `${label}=Q9${value}`, secret: `Q9${value}` })),
  digits(15).map((d) => {
    const card = luhnComplete(`4${d}`);
    return { text: card, secret: card };
  }),
  fc.tuple(alnum(8), alnum(6)).map(([user, host]) => {
    const email = `${user}@${host}.example.org`;
    return { text: email, secret: email };
  }),
  digits(7).map((d) => {
    const phone = `+1 202 ${d.slice(0, 3)} ${d.slice(3)}`;
    return { text: phone, secret: phone };
  }),
);

/** Fragments that make detectors interact: labels, prefixes, separators, placeholders, Unicode. */
const fragment = fc.oneof(
  fc.constantFrom(
    'password=',
    'token: ',
    'Authorization: Bearer ',
    'bearer ',
    'xoxb-',
    'eyJ',
    '-----BEGIN RSA PRIVATE KEY-----',
    '-----END RSA PRIVATE KEY-----',
    'postgres://u:',
    '@',
    '.',
    ' ',
    '\n',
    '"',
    "'",
    '4111 ',
    '+1 ',
    '(415) ',
    '[redacted: password]',
    '[redacted: ',
    FAKE.awsAccessKey,
    FAKE.jwt,
    FAKE.visaSpaced,
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  planted.map((p) => p.text),
);
const mixedText = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(''));

describe('property: masking', () => {
  it('never throws and is idempotent (masking masked text changes nothing)', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, fc.string({ unit: 'binary' })), (text) => {
        const once = maskText(text);
        expect(maskText(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves none of the planted secrets readable, wherever they sit in the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lowerFiller, planted), { minLength: 1, maxLength: 6 }),
        lowerFiller,
        (parts, tail) => {
          const text = `${parts.map(([filler, p]) => `${filler} ${p.text} `).join('\n')}${tail}`;
          const masked = maskText(text);
          for (const [, p] of parts) expect(masked).not.toContain(p.secret);
        },
      ),
      { numRuns: 500 },
    );
  });
});
