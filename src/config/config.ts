import type { Policy } from '../domain/policy.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { type Env, envSchema } from './env-schema.ts';

export interface Config {
  readonly env: Env;
  readonly policy: Policy;
}

export const policyFromEnv = (env: Env): Policy => ({
  reportIdPrefix: env.REPORT_ID_PREFIX,
  timeZone: env.TIMEZONE,
  disclosureDays: env.DISCLOSURE_DAYS,
  ackBusinessDays: env.ACK_SLA_BUSINESS_DAYS,
  triageBusinessDays: env.TRIAGE_SLA_BUSINESS_DAYS,
  remediationDays: env.REMEDIATION_DAYS,
  assets: env.ASSETS,
  outOfScope: env.OUT_OF_SCOPE,
});

/** Empty variables count as unset, except that a set-but-blank secret is reported by the adapter that needs it. */
const withoutEmpty = (source: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(
    Object.entries(source).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );

/** Reads configuration; every problem names its variable so an operator can fix it. */
export const loadConfig = (source: NodeJS.ProcessEnv): Result<Config> => {
  const parsed = envSchema.safeParse(withoutEmpty(source));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return fail('config.invalid', `Configuration is invalid:\n  ${problems.join('\n  ')}`);
  }
  return ok({ env: parsed.data, policy: policyFromEnv(parsed.data) });
};
