/**
 * Realistic-looking but fake secrets for tests. They are assembled at run time so that no literal token
 * sits in the repository (secret scanners and push protection would flag one).
 */
const join = (...parts: string[]) => parts.join('');

const base64url = (value: string) => Buffer.from(value, 'utf8').toString('base64url');

export const FAKE = {
  slackBotToken: join('xox', 'b-', '2718281828', '-', '3141592653589', '-', 'Zq9rT4vW8xY2bN6mK1pL3sD7'),
  slackUserToken: join(
    'xox',
    'p-',
    '1618033988',
    '-',
    '7499789696',
    '-',
    '1234567890123',
    '-',
    'a1b2c3d4e5f6',
  ),
  slackAppToken: join('xap', 'p-1-', 'A01ABCDEF12', '-', '1234567890123', '-', 'f3e2d1c0b9a8'),
  slackWebhook: join(
    'https://hooks.',
    'slack.com/services/',
    'T0000SLACK/B0000HOOK/',
    'XxYyZz0123456789AbCdEfGh',
  ),
  githubClassic: join('gh', 'p_', 'R4nD0mCh4r5F0rT3st1ngPurp0s3s0nly999'),
  githubFineGrained: join(
    'github',
    '_pat_',
    '11ABCDEFG0123456789_',
    'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW',
  ),
  awsAccessKey: join('AK', 'IA', 'QWERTYUIOP234567'),
  awsSecretKey: join('wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'ZZZFAKEKEY'),
  discordBotToken: join(
    'MTE5NzQ2MjQ0MzI5MjE4MjU0Mw',
    '.',
    'GxYzAb',
    '.',
    'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7',
  ),
  discordWebhook: join(
    'https://discord.com/api/',
    'webhooks/',
    '112233445566778899/',
    'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_',
  ),
  stripeSecret: join('sk', '_live_', '51HqLyjWDarjtT1zdp7dc0FAKE'),
  stripeRestricted: join('rk', '_test_', '26PHem9AhJZvU623DfE1x4sd'),
  jwt: [
    base64url('{"alg":"HS256","typ":"JWT"}'),
    base64url('{"sub":"1234567890","name":"Rita","admin":true}'),
    'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  ].join('.'),
  rsaPrivateKey: join(
    '-----BEGIN ',
    'RSA PRIVATE KEY-----\n',
    'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF\n',
    'ZkC1hXzqkf7UaSh1q8Sd1vI0p5x2r0c8wJm8QmGvq2ZnY0z1dX9l2a3b4c5d6e7f\n',
    '-----END ',
    'RSA PRIVATE KEY-----',
  ),
  opensshPrivateKey: join(
    '-----BEGIN ',
    'OPENSSH PRIVATE KEY-----\n',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n',
    '-----END ',
    'OPENSSH PRIVATE KEY-----',
  ),
  pgpPrivateKey: join(
    '-----BEGIN ',
    'PGP PRIVATE KEY BLOCK-----\n\n',
    'lQOYBGB2bXcBCADFakeKeyMaterialForTestsOnly0123456789abcdefABCDEF\n',
    '=Ab12\n',
    '-----END ',
    'PGP PRIVATE KEY BLOCK-----',
  ),
  password: 'Tr0ub4dor_3x!Q',
  visa: '4111111111111111',
  visaSpaced: '4111 1111 1111 1111',
  mastercardDashed: '5555-5555-5555-4444',
  amex: '378282246310005',
  email: 'rita.rodriguez+vuln@example.com',
  phoneInternational: '+1 202-555-0143',
  phoneUs: '(415) 555-2671',
  phoneDotted: '415.555.2671',
  phoneUk: '+44 20 7946 0958',
} as const;

/** A Luhn-valid number made of `prefix` followed by random digits and the check digit. */
export const luhnComplete = (withoutCheckDigit: string): string => {
  let sum = 0;
  for (let i = 0; i < withoutCheckDigit.length; i += 1) {
    let d = Number(withoutCheckDigit[withoutCheckDigit.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${withoutCheckDigit}${(10 - (sum % 10)) % 10}`;
};
