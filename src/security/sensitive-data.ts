export interface Finding {
  readonly kind: string;
}

export interface MaskResult {
  readonly text: string;
  readonly findings: readonly Finding[];
}

interface Detector {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Which capture group holds the secret (the rest of the match stays visible). */
  readonly group?: number;
  readonly accept?: (match: string) => boolean;
}

const luhnValid = (candidate: string): boolean => {
  const digits = candidate.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
};

/**
 * Detectors written to run in linear time: bounded repetitions, character classes that cannot
 * overlap with what follows them, no nested quantifiers.
 */
const DETECTORS: readonly Detector[] = [
  {
    kind: 'private key',
    pattern: /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[^-]*(?:-----END [A-Z ]{0,40}PRIVATE KEY-----)?/g,
  },
  { kind: 'Slack token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,250}/g },
  { kind: 'Slack app token', pattern: /\bxapp-\d-[A-Za-z0-9-]{10,250}/g },
  {
    kind: 'Slack webhook',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]{10,200}/g,
  },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})/g },
  { kind: 'AWS access key', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  {
    kind: 'AWS secret key',
    pattern: /(aws_?secret_?(?:access_?)?key["']?\s{0,5}[:=]\s{0,5}["']?)([A-Za-z0-9/+=]{40})/gi,
    group: 2,
  },
  {
    kind: 'Discord token',
    pattern: /\b[MNO][A-Za-z0-9_-]{23,30}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}\b/g,
  },
  {
    kind: 'Discord webhook',
    pattern:
      /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/[A-Za-z0-9_-]{20,100}/g,
  },
  { kind: 'Stripe key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,99}\b/g },
  { kind: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{5,2000}\.eyJ[A-Za-z0-9_-]{5,4000}\.[A-Za-z0-9_-]{5,2000}/g },
  {
    kind: 'password',
    pattern:
      /\b((?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)["']?\s{0,5}[:=]\s{0,5})("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"',;&]{1,200})/gi,
    group: 2,
  },
  { kind: 'card number', pattern: /\b\d(?:[ -]?\d){12,18}\b/g, accept: luhnValid },
  {
    kind: 'e-mail address',
    pattern: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g,
  },
  {
    kind: 'phone number',
    pattern:
      /(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)|\d{1,4})(?:[ .-]?\d{2,4}){2,4}|\(\d{3}\) ?\d{3}[ .-]\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4}\b)/g,
  },
];

export const placeholder = (kind: string): string => `[redacted: ${kind}]`;

/** Replaces secrets and personal data with typed placeholders; the findings say what was hidden. */
export const maskSensitive = (text: string): MaskResult => {
  const findings: Finding[] = [];
  let masked = text;
  for (const detector of DETECTORS) {
    masked = masked.replace(detector.pattern, (match, ...groups) => {
      if (detector.accept && !detector.accept(match)) return match;
      findings.push({ kind: detector.kind });
      if (detector.group === undefined) return placeholder(detector.kind);
      const prefix = detector.group === 2 ? String(groups[0] ?? '') : '';
      return `${prefix}${placeholder(detector.kind)}`;
    });
  }
  return { text: masked, findings };
};

export const maskText = (text: string): string => maskSensitive(text).text;

/** Secrets (not personal data) that the reporter should rotate. */
export const secretKinds = (findings: readonly Finding[]): string[] => [
  ...new Set(
    findings
      .map((f) => f.kind)
      .filter((kind) => !['e-mail address', 'phone number', 'card number'].includes(kind)),
  ),
];
