import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { looksLikeCvssVector, parseCvss, severityFromScore } from '../../src/domain/cvss.ts';
import type { Severity } from '../../src/domain/report.ts';
import { ADVISORY_DIR } from '../support/advisories.ts';

/** FIRST's qualitative severity rating scale (identical in CVSS 3.1 §5 and 4.0), written out independently. */
const firstRating = (score: number): Severity => {
  if (score === 0) return 'none';
  if (score <= 3.9) return 'low';
  if (score <= 6.9) return 'medium';
  if (score <= 8.9) return 'high';
  return 'critical';
};

/**
 * The CVSS 3.1 base score per the specification (§7.1 formulas, Appendix A Roundup), written from the spec
 * so that every 3.1 vector in the advisory corpus is checked against a second implementation.
 */
const cvss31BaseScore = (vector: string): number => {
  const m = Object.fromEntries(
    vector
      .split('/')
      .slice(1)
      .map((p) => p.split(':') as [string, string]),
  );
  const get = (table: Record<string, number>, key: string): number => {
    const value = table[m[key] ?? ''];
    if (value === undefined) throw new Error(`bad ${key} in ${vector}`);
    return value;
  };
  const changed = m.S === 'C';
  const av = get({ N: 0.85, A: 0.62, L: 0.55, P: 0.2 }, 'AV');
  const ac = get({ L: 0.77, H: 0.44 }, 'AC');
  const pr = get(changed ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 }, 'PR');
  const ui = get({ N: 0.85, R: 0.62 }, 'UI');
  const cia = { H: 0.56, L: 0.22, N: 0 };
  const iss = 1 - (1 - get(cia, 'C')) * (1 - get(cia, 'I')) * (1 - get(cia, 'A'));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  const roundup = (x: number): number => {
    const int = Math.round(x * 100000);
    return int % 10000 === 0 ? int / 100000 : (Math.floor(int / 10000) + 1) / 10;
  };
  if (impact <= 0) return 0;
  return changed
    ? roundup(Math.min(1.08 * (impact + exploitability), 10))
    : roundup(Math.min(impact + exploitability, 10));
};

const expectScore = (vector: string, score: number, severity: Severity, version: '3.1' | '4.0') => {
  const result = parseCvss(vector);
  expect(result, `${vector} should parse`).toMatchObject({ ok: true });
  if (!result.ok) return;
  expect(result.value).toEqual({ version, vector, score, severity });
};

const expectRefused = (input: string, message?: RegExp) => {
  const result = parseCvss(input);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('cvss.invalid');
  if (message) expect(result.error.message).toMatch(message);
};

describe('CVSS 3.1: published examples score as the FIRST calculator does', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical', 'unauthenticated network RCE'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'medium', 'the classic reflected XSS'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'high', 'local privilege escalation'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N', 3.7, 'low', 'hard-to-exploit information leak'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'none', 'no impact at all'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'critical', 'the maximum score'],
  ] as const)('%s is %d (%s): %s', (vector, score, severity, _example) => {
    expectScore(vector, score, severity, '3.1');
    expect(cvss31BaseScore(vector)).toBe(score); // the spec formula in this test agrees on the examples
  });
});

describe('CVSS 4.0: published examples score as the FIRST calculator does', () => {
  // 9.3 and 0.0 are FIRST's own examples; the rest are reference vectors shipped with Red Hat's
  // `cvss` library test suite (tests/vectors_simple4, vectors_threat4), which track FIRST's calculator.
  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'critical'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'none'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N', 6.9, 'medium'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.6, 'high'],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H', 9.5, 'critical'],
    ['CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N', 4, 'medium'],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N', 1.8, 'low'],
    ['CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A', 7.3, 'high'],
    ['CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U', 4.1, 'medium'],
  ] as const)('%s is %d (%s)', (vector, score, severity) => {
    expectScore(vector, score, severity, '4.0');
  });

  it('a threat metric (E:U, unreported exploitation) lowers a 4.0 score, and the vector keeps it', () => {
    const base = parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    const threat = parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    expect(base.ok && threat.ok).toBe(true);
    if (!base.ok || !threat.ok) return;
    expect(threat.value.score).toBeLessThan(base.value.score);
    expect(threat.value.vector.endsWith('/E:U')).toBe(true);
  });
});

describe('CVSS 3.1: every possible base vector', () => {
  it('all 2,592 base vectors score exactly as the specification formula written in this test', () => {
    const values = {
      AV: ['N', 'A', 'L', 'P'],
      AC: ['L', 'H'],
      PR: ['N', 'L', 'H'],
      UI: ['N', 'R'],
      S: ['U', 'C'],
      C: ['H', 'L', 'N'],
      I: ['H', 'L', 'N'],
      A: ['H', 'L', 'N'],
    };
    let vectors = ['CVSS:3.1'];
    for (const [metric, options] of Object.entries(values)) {
      vectors = vectors.flatMap((prefix) => options.map((value) => `${prefix}/${metric}:${value}`));
    }
    expect(vectors).toHaveLength(2592);
    const mismatches = vectors.filter((vector) => {
      const result = parseCvss(vector);
      const expected = cvss31BaseScore(vector);
      return !result.ok || result.value.score !== expected || result.value.severity !== firstRating(expected);
    });
    expect(mismatches).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Real vectors from the shared advisory corpus (unmodified OSV JSON from the GitHub Advisory Database).

const advisoryDir: string | undefined = `${ADVISORY_DIR}/`;

interface Advisory {
  readonly id: string;
  readonly severity?: readonly { readonly type: string; readonly score: string }[];
  readonly database_specific?: { readonly severity?: string };
}

const advisories: Advisory[] = advisoryDir
  ? readdirSync(advisoryDir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(`${advisoryDir}${name}`, 'utf8')) as Advisory)
  : [];

const GITHUB_LEVELS: Readonly<Record<string, Severity>> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  LOW: 'low',
};

const vectorsOf = (advisory: Advisory) =>
  (advisory.severity ?? []).filter((s) => s.score.startsWith('CVSS:3.1/') || s.score.startsWith('CVSS:4.0/'));

const allVectors = advisories.flatMap((a) => vectorsOf(a).map((s) => ({ id: a.id, ...s })));

describe('CVSS: real vectors from the GitHub advisory corpus', () => {
  it('the corpus is present and holds both 3.1 and 4.0 vectors (so the checks below are not vacuous)', () => {
    expect(advisoryDir, 'shared/data/advisories must be beside the repository').toBeDefined();
    expect(advisories.length).toBeGreaterThanOrEqual(60);
    expect(allVectors.filter((v) => v.score.startsWith('CVSS:3.1/')).length).toBeGreaterThan(40);
    expect(allVectors.filter((v) => v.score.startsWith('CVSS:4.0/')).length).toBeGreaterThan(20);
  });

  it.each(allVectors)(
    '$id: $score parses, and its level is the FIRST rating of its score',
    ({ type, score }) => {
      const result = parseCvss(score);
      expect(result, score).toMatchObject({ ok: true });
      if (!result.ok) return;
      expect(result.value.version).toBe(type === 'CVSS_V4' ? '4.0' : '3.1');
      expect(result.value.vector).toBe(score);
      expect(result.value.score).toBeGreaterThanOrEqual(0);
      expect(result.value.score).toBeLessThanOrEqual(10);
      expect(Math.round(result.value.score * 10) / 10).toBe(result.value.score);
      expect(result.value.severity).toBe(firstRating(result.value.score));
    },
  );

  it.each(allVectors.filter((v) => v.score.startsWith('CVSS:3.1/')))(
    '$id: the 3.1 score of $score equals the specification formula',
    ({ score }) => {
      const result = parseCvss(score);
      expect(result.ok && result.value.score).toBe(cvss31BaseScore(score));
    },
  );

  // What the data says: GitHub's level (database_specific.severity, MODERATE = medium) always equals the
  // FIRST rating of an advisory's vector when it has only one. With both a 3.1 and a 4.0 vector the two
  // ratings often differ, and GitHub's level follows sometimes the 4.0 vector, sometimes the 3.1 one;
  // so for those advisories we assert only that GitHub's level is one of the two computed levels.
  const single = advisories.filter((a) => vectorsOf(a).length === 1 && a.database_specific?.severity);
  const dual = advisories.filter((a) => vectorsOf(a).length === 2 && a.database_specific?.severity);

  it('the corpus has advisories with one vector and advisories with both a 3.1 and a 4.0 vector', () => {
    expect(single.length).toBeGreaterThan(20);
    expect(dual.length).toBeGreaterThan(10);
  });

  it.each(single)('$id: with a single vector, the computed level equals GitHub’s level', (advisory) => {
    const [vector] = vectorsOf(advisory);
    const result = parseCvss(vector?.score ?? '');
    expect(result.ok && result.value.severity).toBe(
      GITHUB_LEVELS[advisory.database_specific?.severity ?? ''],
    );
  });

  it.each(dual)(
    '$id: with 3.1 and 4.0 vectors, GitHub’s level is one of the two computed levels',
    (advisory) => {
      const levels = vectorsOf(advisory).map((v) => {
        const result = parseCvss(v.score);
        return result.ok ? result.value.severity : 'unparsed';
      });
      expect(levels).toContain(GITHUB_LEVELS[advisory.database_specific?.severity ?? '']);
    },
  );
});

describe('CVSS: what is refused, and why', () => {
  const FULL_31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

  it('a 3.1 vector missing a base metric is refused, naming the metric', () => {
    expectRefused('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /missing base metrics: A\./);
  });

  it('a 4.0 vector missing its subsequent-system metrics is refused, naming them', () => {
    expectRefused('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H', /missing base metrics: SC, SI, SA\./);
  });

  it('a vector with only the prefix is refused as missing every base metric', () => {
    expectRefused('CVSS:3.1/', /missing base metrics: AV, AC, PR, UI, S, C, I, A/);
  });

  it('a metric given twice is refused, even with the same value', () => {
    expectRefused(`${FULL_31}/AV:N`, /AV appears twice/);
    expectRefused('CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV appears twice/);
  });

  it('a base metric with a value it does not take is refused, listing the allowed values', () => {
    expectRefused(
      'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /AV:X is not valid; AV takes one of N, A, L, P/,
    );
    expectRefused('CVSS:3.1/AV:N/AC:L/PR:N/UI:P/S:U/C:H/I:H/A:H', /UI:P is not valid/);
    expectRefused('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /UI:R is not valid/);
  });

  it('a part that is not metric:value is refused', () => {
    expectRefused('CVSS:3.1/AV:N/AC/PR:N/UI:N/S:U/C:H/I:H/A:H', /"AC" is not a metric:value pair/);
    expectRefused('CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /is not a metric:value pair/);
    expectRefused('CVSS:3.1//AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /is not a metric:value pair/);
  });

  it('an unknown extra metric or a bad value of an optional metric is refused by the scoring library', () => {
    expectRefused(`${FULL_31}/XX:Y`);
    expectRefused(`${FULL_31}/E:Q`);
    expectRefused(`${FULL_31}/__proto__:x`);
  });

  it.each([
    ['CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P', 'version 2'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 'a bare version 2 vector'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'version 3.0 (only 3.1 and 4.0 are supported)'],
    ['CVSS:5.0/AV:N', 'an unknown future version'],
    ['CVSS:3.1AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'a missing slash after the prefix'],
  ])('%s is refused: %s', (input) => {
    expectRefused(input, /must start with CVSS:3\.1\/ or CVSS:4\.0\//);
  });

  it.each(['', '   ', 'high', 'not a vector', '9.8', '{}', 'CVSS', 'CVSS:', '/'])(
    'garbage %j is refused',
    (input) => {
      expectRefused(input);
    },
  );

  it('a 10,000-character string is refused as too long without being scored', () => {
    expectRefused(`${FULL_31}/${'E:P/'.repeat(2500)}`.slice(0, 10_000), /too long/);
    expectRefused('x'.repeat(10_000), /too long/);
  });

  it('lowercase input is accepted and kept as the canonical uppercase vector', () => {
    const result = parseCvss('cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h');
    expect(result).toEqual({
      ok: true,
      value: { version: '3.1', vector: FULL_31, score: 9.8, severity: 'critical' },
    });
  });

  it('surrounding spaces and a trailing slash are tolerated and dropped from the kept vector', () => {
    const result = parseCvss(`  ${FULL_31}/  `);
    expect(result.ok && result.value.vector).toBe(FULL_31);
  });

  it('metrics in a non-canonical order still parse to the same score', () => {
    const result = parseCvss('CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N');
    expect(result.ok && result.value.score).toBe(9.8);
  });
});

describe('looksLikeCvssVector: what the intake form treats as a vector attempt', () => {
  it.each([
    ['CVSS:3.1/AV:N', true],
    ['  cvss:4.0/AV:N', true],
    ['CVSS:2.0/AV:N', true],
    ['high', false],
    ['AV:N/AC:L', false],
    ['', false],
  ] as const)('%j → %s', (input, expected) => {
    expect(looksLikeCvssVector(input)).toBe(expected);
  });
});

describe('severityFromScore: the FIRST qualitative rating boundaries', () => {
  it.each([
    [0, 'none'],
    [0.1, 'low'],
    [3.9, 'low'],
    [4.0, 'medium'],
    [6.9, 'medium'],
    [7.0, 'high'],
    [8.9, 'high'],
    [9.0, 'critical'],
    [10, 'critical'],
  ] as const)('a score of %d is %s', (score, severity) => {
    expect(severityFromScore(score)).toBe(severity);
  });

  it('agrees with the independently written rating scale on every score from 0.0 to 10.0', () => {
    for (let tenths = 0; tenths <= 100; tenths++) {
      const score = tenths / 10;
      expect(severityFromScore(score), String(score)).toBe(firstRating(score));
    }
  });
});
