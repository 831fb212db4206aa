import { z } from 'zod';
import { DEFAULT_OUT_OF_SCOPE } from '../domain/policy.ts';

const list = (separator: string) =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(separator)
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    );

const wholeNumber = (fallback: number, min = 0, max = 3650) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** A switch, off unless set to `true`, `1` or `yes`. */
const onOff = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A present variable that must not be blank (secrets and tokens). */
const secret = z
  .string()
  .optional()
  .transform((value) => (value === undefined ? undefined : value.trim()));

const timeZone = z
  .string()
  .default('UTC')
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'is not an IANA time zone (e.g. UTC, Europe/Paris)');

const remediation = z
  .string()
  .default('critical=7,high=30,medium=90,low=180')
  .transform((value, ctx) => {
    const result: Record<string, number> = { critical: 7, high: 30, medium: 90, low: 180 };
    for (const pair of value.split(',').filter((p) => p.trim())) {
      const match = /^\s*(critical|high|medium|low)\s*=\s*(\d{1,4})\s*$/i.exec(pair);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `"${pair.trim()}" should look like high=30` });
        return z.NEVER;
      }
      result[(match[1] ?? '').toLowerCase()] = Number(match[2]);
    }
    return result as { critical: number; high: number; medium: number; low: number };
  });

export const envSchema = z.object({
  REPORT_ID_PREFIX: z
    .string()
    .default('VULN')
    .refine(
      (p) => /^[A-Za-z][A-Za-z0-9]{0,11}$/.test(p),
      'must be letters and digits, starting with a letter',
    )
    .transform((p) => p.toUpperCase()),
  ASSETS: list(','),
  OUT_OF_SCOPE: list('|').transform((items) => (items.length > 0 ? items : [...DEFAULT_OUT_OF_SCOPE])),
  DISCLOSURE_DAYS: wholeNumber(90, 1),
  ACK_SLA_BUSINESS_DAYS: wholeNumber(2),
  TRIAGE_SLA_BUSINESS_DAYS: wholeNumber(5),
  REMEDIATION_DAYS: remediation,
  TIMEZONE: timeZone,
  TRIAGERS: list(','),
  REPORTS_PER_HOUR: wholeNumber(5, 0, 10_000),
  DIGEST_TIME: z
    .string()
    .default('09:00')
    .refine((t) => /^([01]\d|2[0-3]):[0-5]\d$/.test(t), 'must be a 24-hour time like 09:00'),
  DIGEST_WEEKDAYS_ONLY: onOff,
  DATABASE_URL: secret,
  REPORT_ENCRYPTION_KEY: secret,
  REPORT_ENCRYPTION_OLD_KEYS: list(','),
  DATA_DIR: z.string().default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HTTP_THREAD: onOff,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  SLACK_BOT_TOKEN: secret,
  SLACK_SIGNING_SECRET: secret,
  SLACK_APP_TOKEN: secret,
  SLACK_TRIAGE_CHANNEL: secret,
  SLACK_TRIAGE_USERGROUP: secret,
  SLACK_API_URL: secret,
  DISCORD_BOT_TOKEN: secret,
  DISCORD_PUBLIC_KEY: secret,
  DISCORD_APPLICATION_ID: secret,
  DISCORD_GUILD_ID: secret,
  DISCORD_TRIAGE_CHANNEL: secret,
  DISCORD_TRIAGE_ROLE: secret,
  DISCORD_API_URL: secret,
  DISCORD_GATEWAY: z.enum(['on', 'off']).default('on'),
});

export type Env = z.infer<typeof envSchema>;
