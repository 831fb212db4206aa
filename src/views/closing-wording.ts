import type { OutOfScopeReason } from '../domain/report.ts';

export const OUT_OF_SCOPE_LABELS: Readonly<Record<OutOfScopeReason, string>> = {
  denial_of_service: 'Denial of service',
  compromised_credential: 'Compromised credential',
  third_party: 'Third-party system',
  other: 'Other',
};

/** The policy's wording, told to a reporter whose report is out of scope. */
export const OUT_OF_SCOPE_WORDING: Readonly<Record<OutOfScopeReason, string>> = {
  denial_of_service:
    'Denial of service and volumetric attacks are out of scope under our disclosure policy, so we will not pursue this report.',
  compromised_credential:
    'Findings that rely on compromised or leaked credentials are out of scope under our disclosure policy.',
  third_party:
    'This concerns a third-party system we do not control. Please report it to its vendor; it is out of scope for us.',
  other: 'After review, this report falls outside the scope of our disclosure policy.',
};
