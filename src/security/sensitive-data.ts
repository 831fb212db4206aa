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
  /** Masks within the match itself (null: nothing to hide), for detectors that need a check a pattern cannot express. */
  readonly mask?: (match: string) => string | null;
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

/** Never match inside a placeholder, so masking masked text changes nothing. */
const NOT_MASKED = String.raw`(?!["']?\[redacted: )`;

/**
 * A run of digit groups (`4111 1111 1111 1111 12/26`) can hold a card number that does not span the
 * whole run: the longest Luhn-valid stretch of 13 to 19 digits that starts and ends on a group
 * boundary (and starts like a card network's number) is masked, left to right. Work is bounded by the run's length (at most 19 digits a window).
 */
/** Card networks (Visa, Mastercard, Amex, Discover, JCB, Diners) start with 2 to 6; IDs and timestamps mostly do not. */
const CARD_FIRST_DIGITS = new Set(['2', '3', '4', '5', '6']);

const maskCardNumbers = (run: string): string | null => {
  const parts = run.split(/([ -])/);
  const groups = parts.filter((_, index) => index % 2 === 0);
  let out = '';
  let found = false;
  let i = 0;
  while (i < groups.length) {
    let end = -1;
    let digits = 0;
    for (let j = i; j < groups.length; j += 1) {
      digits += groups[j]?.length ?? 0;
      if (digits > 19) break;
      if (
        digits >= 13 &&
        CARD_FIRST_DIGITS.has(groups[i]?.[0] ?? '') &&
        luhnValid(groups.slice(i, j + 1).join(''))
      )
        end = j;
    }
    const separator = i > 0 ? (parts[2 * i - 1] ?? '') : '';
    if (end >= 0) {
      out += `${separator}${placeholder('card number')}`;
      found = true;
      i = end + 1;
    } else {
      out += `${separator}${groups[i] ?? ''}`;
      i += 1;
    }
  }
  return found ? out : null;
};

/**
 * Detectors written to run in linear time: bounded repetitions, character classes that cannot
 * overlap with what follows them, no nested quantifiers.
 */
const DETECTORS: readonly Detector[] = [
  {
    kind: 'private key',
    pattern:
      /-----BEGIN [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----[^-]*(?:-----END [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?/g,
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
    kind: 'authorization header',
    // A known scheme and its credentials, or a long bare credential; prose ("authorization: anyone can") stays.
    pattern:
      /\b(?:proxy-)?authorization["']?\s{0,5}[:=]\s{0,5}["']?(?:(?:bearer|basic|token|bot|digest|negotiate|ntlm|apikey)\s{1,5}[A-Za-z0-9._~+/=-]{6,4000}|[A-Za-z0-9._~+/=-]{20,4000})/gi,
    mask: (header) => header.replace(/[A-Za-z0-9._~+/=-]+$/, placeholder('authorization header')),
  },
  { kind: 'bearer token', pattern: /(\bbearer\s{1,5})([A-Za-z0-9._~+/-]{20,4000}={0,2})/gi, group: 2 },
  {
    kind: 'password',
    // Credentials in a URL: scheme://user:password@host
    pattern: new RegExp(
      String.raw`(\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,100}:)${NOT_MASKED}([^\s@/]{1,200})(?=@)`,
      'g',
    ),
    group: 2,
  },
  {
    kind: 'password',
    // Also inside names such as DB_PASSWORD or MYSQL_ROOT_PASSWORD: only a letter or digit may precede.
    pattern: new RegExp(
      String.raw`((?<![A-Za-z0-9])(?:password|passwd|passphrase|pwd|secret(?:[_-]?(?:access[_-]?)?key)?|api[_-]?key|(?:access|auth|refresh|session|bearer|api)[_-]?token|client[_-]?secret|private[_-]?key|(?:php|j)?sess(?:ion)?[_-]?(?:id|token|key)|token)["']?\s{0,5}[:=]\s{0,5})${NOT_MASKED}("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"',;&]{1,200})`,
      'gi',
    ),
    group: 2,
  },
  { kind: 'card number', pattern: /\b\d(?:[ -]?\d){12,200}\b/g, mask: maskCardNumbers },
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

/** One pass of every detector, in order. */
const maskOnce = (text: string, findings: Finding[]): string => {
  let masked = text;
  for (const detector of DETECTORS) {
    masked = masked.replace(detector.pattern, (match, ...groups) => {
      if (detector.mask) {
        const inner = detector.mask(match);
        if (inner === null) return match;
        findings.push({ kind: detector.kind });
        return inner;
      }
      findings.push({ kind: detector.kind });
      if (detector.group === undefined) return placeholder(detector.kind);
      const prefix = detector.group === 2 ? String(groups[0] ?? '') : '';
      return `${prefix}${placeholder(detector.kind)}`;
    });
  }
  return masked;
};

/** A placeholder can expose a secret glued to what it replaced (`0000sk_live_...`): passes repeat until stable. */
const MAX_PASSES = 4;

/** Replaces secrets and personal data with typed placeholders; the findings say what was hidden. */
export const maskSensitive = (text: string): MaskResult => {
  const findings: Finding[] = [];
  let masked = text;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const next = maskOnce(masked, findings);
    if (next === masked) break;
    masked = next;
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
