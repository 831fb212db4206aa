import type { Severity } from './report.ts';

/** The disclosure policy's clocks and wording; every value comes from configuration. */
export interface Policy {
  readonly reportIdPrefix: string;
  readonly timeZone: string;
  readonly disclosureDays: number;
  readonly ackBusinessDays: number;
  readonly triageBusinessDays: number;
  readonly remediationDays: Readonly<Record<Exclude<Severity, 'none'>, number>>;
  readonly assets: readonly string[];
  readonly outOfScope: readonly string[];
}

export const DEFAULT_OUT_OF_SCOPE: readonly string[] = [
  'Denial of service and volumetric attacks',
  'Use of compromised or leaked credentials',
  'Vulnerabilities in third-party systems we do not control',
  'Social engineering of staff or users',
  'Accessing personal data beyond what a proof of concept needs',
];

export const DEFAULT_POLICY: Policy = {
  reportIdPrefix: 'VULN',
  timeZone: 'UTC',
  disclosureDays: 90,
  ackBusinessDays: 2,
  triageBusinessDays: 5,
  remediationDays: { critical: 7, high: 30, medium: 90, low: 180 },
  assets: [],
  outOfScope: DEFAULT_OUT_OF_SCOPE,
};

export const OTHER_ASSET = 'other';

export const assetChoices = (policy: Policy): readonly string[] => [...policy.assets, OTHER_ASSET];
