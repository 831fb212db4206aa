import { describe, expect, it } from 'vitest';
import { STATUSES, type Status } from '../../src/domain/report.ts';
import {
  allowedNextStatuses,
  canTransition,
  checkTransition,
  parseStatus,
} from '../../src/domain/status-machine.ts';

/*
 * The expected status machine, written out by hand from DESIGN.md ("Domain rules"), not derived from
 * the module under test:
 *   - new → acknowledged → triaged → fixing → fixed → disclosed
 *   - needs_info from acknowledged / triaged, and back to either
 *   - closed states: out_of_scope, duplicate, informative, not_applicable, spam
 *   - closed reports can be reopened to triaged (and only to triaged)
 *   - disclosed is final; a move to the current status is never a transition
 * Where DESIGN.md is silent, the table records these decisions explicitly:
 *   - a report can be closed from any open status until it is fixed (new, acknowledged, needs_info,
 *     triaged, fixing); a fixed or disclosed report cannot be closed
 *   - triaged may go straight to fixed (a fix that needed no separate "fixing" phase)
 *   - one closed state cannot be swapped for another directly (reopen first)
 */
const CLOSED = ['out_of_scope', 'duplicate', 'informative', 'not_applicable', 'spam'] as const;

const EXPECTED_NEXT: Readonly<Record<Status, readonly Status[]>> = {
  new: ['acknowledged', ...CLOSED],
  acknowledged: ['triaged', 'needs_info', ...CLOSED],
  needs_info: ['acknowledged', 'triaged', ...CLOSED],
  triaged: ['fixing', 'fixed', 'needs_info', ...CLOSED],
  fixing: ['fixed', ...CLOSED],
  fixed: ['disclosed'],
  disclosed: [],
  out_of_scope: ['triaged'],
  duplicate: ['triaged'],
  informative: ['triaged'],
  not_applicable: ['triaged'],
  spam: ['triaged'],
};

const ALL_STATUSES: readonly Status[] = [
  'new',
  'acknowledged',
  'needs_info',
  'triaged',
  'fixing',
  'fixed',
  'disclosed',
  'out_of_scope',
  'duplicate',
  'informative',
  'not_applicable',
  'spam',
];

const article = (status: Status) => (/^[aeiou]/.test(status) ? 'an' : 'a');

const pairs = ALL_STATUSES.flatMap((from) =>
  ALL_STATUSES.map((to) => ({ from, to, legal: EXPECTED_NEXT[from].includes(to) })),
);

describe('status machine: the full 12 × 12 transition table', () => {
  it('the expected table in this test covers exactly the statuses the domain defines', () => {
    expect([...STATUSES].sort()).toEqual([...ALL_STATUSES].sort());
    expect(pairs).toHaveLength(144);
  });

  it.each(
    pairs.map((p) => ({
      ...p,
      name: `given ${article(p.from)} ${p.from} report, moving it to ${p.to} is ${p.legal ? 'allowed' : 'refused'}`,
    })),
  )('$name', ({ from, to, legal }) => {
    expect(canTransition(from, to)).toBe(legal);
    const result = checkTransition(from, to);
    expect(result.ok).toBe(legal);
    if (result.ok) expect(result.value).toBe(to);
    else expect(result.error.code).toBe('report.invalid_transition');
  });

  it.each(ALL_STATUSES)('the allowed next statuses of a %s report are exactly the expected ones', (from) => {
    expect([...allowedNextStatuses(from)].sort()).toEqual([...EXPECTED_NEXT[from]].sort());
  });
});

describe('status machine: refusals say why', () => {
  it.each(ALL_STATUSES)(
    'given a %s report, setting the same status again is refused as "already", not a transition',
    (status) => {
      expect(canTransition(status, status)).toBe(false);
      const result = checkTransition(status, status);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('report.invalid_transition');
      expect(result.error.message).toMatch(/already/);
      expect(result.error.message).toMatch(/nothing changed/);
    },
  );

  it('given an acknowledged report, a late second "acknowledge" click names the current status', () => {
    const result = checkTransition('acknowledged', 'acknowledged');
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'report.invalid_transition',
        message: 'The report is already Acknowledged; nothing changed.',
      },
    });
  });

  it('given a fixed report, reopening it to triaged is refused and the only way forward is named', () => {
    const result = checkTransition('fixed', 'triaged');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe(
      'A report that is Fixed cannot become Triaged. Allowed next: disclosed.',
    );
  });

  it('given a disclosed report, any move is refused and the state is called final', () => {
    for (const to of ALL_STATUSES.filter((s) => s !== 'disclosed')) {
      const result = checkTransition('disclosed', to);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.message).toMatch(/^A report that is Disclosed cannot become .+\. It is final\.$/);
      expect(result.error.message).not.toMatch(/Allowed next/);
    }
  });

  it('given a new report, skipping straight to fixing is refused with human-readable labels', () => {
    const result = checkTransition('new', 'fixing');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^A report that is New cannot become Fixing\./);
  });

  it('the "allowed next" list uses words a person can type back, with no underscores left', () => {
    const result = checkTransition('new', 'fixed');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe(
      'A report that is New cannot become Fixed. Allowed next: acknowledged, out of scope, duplicate, informative, not applicable, spam.',
    );
    // Every word in the list is accepted by the status parser.
    const listed = result.error.message
      .replace(/^.*Allowed next: /, '')
      .replace(/\.$/, '')
      .split(', ');
    for (const word of listed) expect(parseStatus(word).ok).toBe(true);
  });

  it('given a spam report, the refusal of a move to fixed points at reopening to triaged', () => {
    const result = checkTransition('spam', 'fixed');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe('A report that is Spam cannot become Fixed. Allowed next: triaged.');
  });

  it('given a needs-info report, a move to fixing is refused with the label "Needs more info"', () => {
    const result = checkTransition('needs_info', 'fixing');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^A report that is Needs more info cannot become Fixing\./);
  });
});

describe('parseStatus: the words triagers type', () => {
  it.each(ALL_STATUSES)('the canonical name "%s" is accepted as itself', (status) => {
    expect(parseStatus(status)).toEqual({ ok: true, value: status });
  });

  it.each([
    ['ack', 'acknowledged'],
    ['needsinfo', 'needs_info'],
    ['info', 'needs_info'],
    ['oos', 'out_of_scope'],
    ['na', 'not_applicable'],
    ['dup', 'duplicate'],
  ] as const)('the alias "%s" means %s', (input, status) => {
    expect(parseStatus(input)).toEqual({ ok: true, value: status });
  });

  it.each([
    ['needs info', 'needs_info'],
    ['needs-info', 'needs_info'],
    ['Needs Info', 'needs_info'],
    ['out of scope', 'out_of_scope'],
    ['Out-Of-Scope', 'out_of_scope'],
    ['not applicable', 'not_applicable'],
    ['  TRIAGED  ', 'triaged'],
    ['ACK', 'acknowledged'],
    ['Fixed', 'fixed'],
  ] as const)('"%s" (spaces, hyphens, any case) is read as %s', (input, status) => {
    expect(parseStatus(input)).toEqual({ ok: true, value: status });
  });

  it.each([
    'closed',
    'done',
    'wontfix',
    'acknowledge d',
    '',
    '   ',
    'n/a',
    'triaged!',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
  ])('the unknown word %j is refused with the list of statuses', (input) => {
    const result = parseStatus(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('status.invalid');
    expect(result.error.message).toContain(`Unknown status "${input.trim()}"`);
    expect(result.error.message).toContain('needs_info');
    expect(result.error.message).toContain('out_of_scope');
  });
});
