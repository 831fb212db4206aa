import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy.ts';
import type { Actor } from '../../src/domain/report.ts';
import { createAuthorizer } from '../../src/ports/authorizer.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { Store } from '../../src/ports/store.ts';
import type { CoreDeps } from '../../src/use-cases/context.ts';

export const TEST_POLICY: Policy = { ...DEFAULT_POLICY, assets: ['api.example.com', 'web app'] };

export const alice: Actor = { platform: 'slack', userId: 'UALICE', displayName: 'alice' };
export const bob: Actor = { platform: 'slack', userId: 'UBOB', displayName: 'bob' };
export const mallory: Actor = { platform: 'discord', userId: '999', displayName: 'mallory' };
export const reporter: Actor = { platform: 'discord', userId: '123456', displayName: 'rita' };

/** A controllable clock: starts on a Thursday morning unless told otherwise. */
export const testClock = (start = '2026-11-26T09:00:00Z') => {
  let current = new Date(start);
  return {
    now: () => new Date(current.getTime()),
    set: (iso: string) => {
      current = new Date(iso);
    },
    advanceDays: (days: number) => {
      current = new Date(current.getTime() + days * 86_400_000);
    },
  };
};

export const coreDeps = (store: Store, overrides: Partial<CoreDeps> = {}): CoreDeps => ({
  store,
  policy: TEST_POLICY,
  authorizer: createAuthorizer(['slack:UALICE', 'slack:UBOB']),
  logger: silentLogger,
  now: testClock().now,
  triagePlatforms: ['slack'],
  reportsPerHour: 0,
  ...overrides,
});

export const validSubmission = (
  overrides: Partial<import('../../src/domain/report.ts').ReportSubmission> = {},
) => ({
  title: 'SQL injection in /api/search',
  asset: 'api.example.com',
  description: "1. GET /api/search?q=' OR 1=1 --\n2. Observe every row returned.",
  impact: 'Read any customer record.',
  severityGuess: 'high',
  policyAccepted: true,
  ...overrides,
});
