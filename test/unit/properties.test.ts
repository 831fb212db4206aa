import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVulnCommand, VULN_SUBCOMMANDS } from '../../src/commands/parse-vuln-command.ts';
import { addLocalDays, daysUntil, localDate, parseDisclosureDate } from '../../src/domain/clocks.ts';
import { parseCvss, severityFromScore } from '../../src/domain/cvss.ts';

const RUNS = { numRuns: 500 };

/** Any text: ASCII, full Unicode (including lone surrogates), and whitespace-heavy strings. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', 'a', '-', '/', ':', '+') }),
);

// ---------------------------------------------------------------------------------------------------------
// /vuln command parsing

const words = [
  ...Object.keys(VULN_SUBCOMMANDS),
  'acknowledge',
  'sev',
  'disclosure',
  'dup',
  'out-of-scope',
  'out_of_scope',
  'ls',
  'SHOW',
  'Sev',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];
const spaces = fc.string({
  unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000'),
  minLength: 1,
  maxLength: 4,
});
const token = fc.oneof(
  fc.constantFrom(...words),
  fc.constantFrom('VULN-0007', 'vuln-7', 'me', 'open', 'overdue', 'mine', '+30d', '2027-03-01', 'high'),
  fc.string({ maxLength: 12 }),
);
/** Text shaped like a command: a few tokens joined by assorted whitespace. */
const commandLike = fc
  .tuple(fc.option(spaces), fc.array(fc.tuple(token, spaces), { maxLength: 5 }))
  .map(([lead, parts]) => (lead ?? '') + parts.map(([t, s]) => t + s).join(''));

describe('property: parseVulnCommand is total', () => {
  it('for any text it never throws and returns a known subcommand or a command.usage error', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, commandLike), (text) => {
        const result = parseVulnCommand(text);
        if (result.ok) {
          expect(Object.hasOwn(VULN_SUBCOMMANDS, result.value.name)).toBe(true);
        } else {
          expect(result.error.code).toBe('command.usage');
          expect(result.error.message.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('an accepted ID is one non-blank word, and an accepted value is non-empty and trimmed', () => {
    fc.assert(
      fc.property(commandLike, (text) => {
        const result = parseVulnCommand(text);
        if (!result.ok) return;
        const value = result.value as { id?: string; value?: string };
        if (value.id !== undefined) {
          expect(value.id).toMatch(/^\S+$/);
        }
        if (value.value !== undefined) {
          expect(value.value.length).toBeGreaterThan(0);
          expect(value.value).toBe(value.value.trim());
        }
      }),
      RUNS,
    );
  });

  it('a reply keeps any message exactly, apart from surrounding whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), (message) => {
        fc.pre(message.trim().length > 0);
        expect(parseVulnCommand(`reply VULN-0007 ${message}`)).toEqual({
          ok: true,
          value: { name: 'reply', id: 'VULN-0007', value: message.trim() },
        });
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Disclosure dates

const zones = fc.constantFrom(
  'UTC',
  'America/New_York',
  'Asia/Tokyo',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Asia/Kolkata',
  'Europe/London',
  'Australia/Lord_Howe',
);
const instant = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2090-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const context = fc.record({ now: instant, receivedAt: instant, timeZone: zones });

const digit = fc.constantFrom(...'0123456789');
const dateLike = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(
      ([y, m, d]) =>
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    ),
  fc
    .tuple(fc.nat({ max: 99999 }), fc.constantFrom('d', 'D', '', 'w', 'dd'))
    .map(([n, unit]) => `+${n}${unit}`),
  fc.array(fc.oneof(digit, fc.constantFrom('-', '+', 'd', ' ')), { maxLength: 12 }).map((cs) => cs.join('')),
);

describe('property: parseDisclosureDate is total and never earlier than receipt', () => {
  it('for any text and any clock it never throws, and an accepted date is a real day on or after receipt', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, dateLike), context, (input, ctx) => {
        const result = parseDisclosureDate(input, ctx);
        if (!result.ok) {
          expect(['disclosure.invalid_date', 'disclosure.before_receipt']).toContain(result.error.code);
          return;
        }
        expect(result.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(result.value >= localDate(ctx.receivedAt, ctx.timeZone)).toBe(true);
        // A real calendar day: adding zero days gives it back unchanged.
        expect(addLocalDays(result.value, 0)).toBe(result.value);
      }),
      RUNS,
    );
  });

  it('"+Nd" (N ≤ 3650) after receipt is accepted as exactly N days from today in the policy’s zone', () => {
    fc.assert(
      fc.property(fc.nat({ max: 3650 }), context, (days, ctx) => {
        fc.pre(ctx.now.getTime() >= ctx.receivedAt.getTime());
        const result = parseDisclosureDate(`+${days}d`, ctx);
        expect(result.ok).toBe(true);
        if (result.ok) expect(daysUntil(result.value, ctx.now, ctx.timeZone)).toBe(days);
      }),
      RUNS,
    );
  });

  it('any calendar date from the receipt date on is accepted unchanged; any earlier one is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 4000 }), context, (offset, ctx) => {
        const received = localDate(ctx.receivedAt, ctx.timeZone);
        const day = addLocalDays(received, offset);
        const result = parseDisclosureDate(day, ctx);
        if (offset >= 0) expect(result).toEqual({ ok: true, value: day });
        else expect(result.ok ? 'accepted' : result.error.code).toBe('disclosure.before_receipt');
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// CVSS vectors

const METRICS_31: Record<string, string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
};
const METRICS_40: Record<string, string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['H', 'L', 'N'],
  SA: ['H', 'L', 'N'],
};

const validVector = (prefix: string, metrics: Record<string, string[]>) =>
  fc
    .tuple(
      fc.tuple(
        ...Object.entries(metrics).map(([m, values]) => fc.constantFrom(...values).map((v) => `${m}:${v}`)),
      ),
      fc.boolean(),
    )
    .chain(([parts, shuffle]) =>
      shuffle ? fc.shuffledSubarray(parts, { minLength: parts.length }) : fc.constant(parts),
    )
    .map((parts) => [prefix, ...parts].join('/'));

/** Vectors that look almost right: a real prefix and real metric names with perturbed parts. */
const nearVector = fc
  .tuple(
    fc.constantFrom('CVSS:3.1', 'CVSS:4.0', 'cvss:3.1', 'CVSS:3.0', 'CVSS:2.0', 'CVSS:4.1', ''),
    fc.array(
      fc.tuple(
        fc.constantFrom(...Object.keys(METRICS_40), ...Object.keys(METRICS_31), 'E', 'CR', 'MAV', 'X', ''),
        fc.constantFrom('N', 'L', 'H', 'P', 'A', 'U', 'C', 'R', 'X', '', 'NN', ':'),
      ),
      { maxLength: 14 },
    ),
  )
  .map(([prefix, parts]) => [prefix, ...parts.map(([m, v]) => `${m}:${v}`)].join('/'));

describe('property: parseCvss is total', () => {
  it('for any text it never throws and returns a score or a cvss.invalid error', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, nearVector), (input) => {
        const result = parseCvss(input);
        if (result.ok) {
          expect(result.value.score).toBeGreaterThanOrEqual(0);
          expect(result.value.score).toBeLessThanOrEqual(10);
          expect(result.value.severity).toBe(severityFromScore(result.value.score));
        } else {
          expect(result.error.code).toBe('cvss.invalid');
        }
      }),
      RUNS,
    );
  });

  it('every complete 3.1 or 4.0 base vector, in any metric order and any case, is accepted', () => {
    fc.assert(
      fc.property(
        fc.oneof(validVector('CVSS:3.1', METRICS_31), validVector('CVSS:4.0', METRICS_40)),
        fc.boolean(),
        (vector, lower) => {
          const result = parseCvss(lower ? vector.toLowerCase() : vector);
          expect(result.ok, vector).toBe(true);
          if (!result.ok) return;
          expect(result.value.vector).toBe(vector.toUpperCase());
          expect(result.value.severity).toBe(severityFromScore(result.value.score));
        },
      ),
      RUNS,
    );
  });

  it('dropping any one base metric from a complete vector is always refused', () => {
    fc.assert(
      fc.property(
        fc.oneof(validVector('CVSS:3.1', METRICS_31), validVector('CVSS:4.0', METRICS_40)),
        fc.nat(),
        (vector, n) => {
          const [prefix, ...parts] = vector.split('/');
          const dropped = parts.splice(n % parts.length, 1);
          const result = parseCvss([prefix, ...parts].join('/'));
          expect(result.ok ? 'accepted' : result.error.message).toMatch(
            new RegExp(`missing base metrics: ${dropped[0]?.split(':')[0]}\\.`),
          );
        },
      ),
      RUNS,
    );
  });
});
