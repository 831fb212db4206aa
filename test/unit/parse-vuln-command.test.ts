import { describe, expect, it } from 'vitest';
import { helpLines, parseVulnCommand, VULN_SUBCOMMANDS } from '../../src/commands/parse-vuln-command.ts';

const CVSS_31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const CVSS_40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

const usageError = (text: string) => {
  const result = parseVulnCommand(text);
  expect(result.ok, text).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error.code).toBe('command.usage');
  return result.error.message;
};

describe('/vuln with no subcommand, help and digest', () => {
  it.each(['', '   ', '\n\t'])('empty text %j shows the help', (text) => {
    expect(parseVulnCommand(text)).toEqual({ ok: true, value: { name: 'help' } });
  });

  it.each(['help', 'HELP', '  Help  ', 'help me please'])('%j shows the help', (text) => {
    expect(parseVulnCommand(text)).toEqual({ ok: true, value: { name: 'help' } });
  });

  it.each(['digest', 'Digest', 'DIGEST now'])('%j asks for the digest', (text) => {
    expect(parseVulnCommand(text)).toEqual({ ok: true, value: { name: 'digest' } });
  });

  it('the help lists every subcommand with its usage, so users can discover the grammar', () => {
    const lines = helpLines();
    expect(lines).toHaveLength(Object.keys(VULN_SUBCOMMANDS).length);
    for (const name of ['show', 'list', 'ack', 'assign', 'severity', 'status', 'disclose', 'duplicate']) {
      expect(
        lines.some((line) => line.startsWith(`/vuln ${name}`)),
        name,
      ).toBe(true);
    }
    for (const name of ['oos', 'reply', 'note', 'reveal', 'digest', 'help']) {
      expect(
        lines.some((line) => line.startsWith(`/vuln ${name}`)),
        name,
      ).toBe(true);
    }
  });
});

describe('/vuln list [open|overdue|mine]', () => {
  it.each([
    ['list', 'open'],
    ['list open', 'open'],
    ['list overdue', 'overdue'],
    ['list mine', 'mine'],
    ['LIST MINE', 'mine'],
    ['ls', 'open'],
    ['ls overdue', 'overdue'],
  ] as const)('%j lists %s reports', (text, filter) => {
    expect(parseVulnCommand(text)).toEqual({ ok: true, value: { name: 'list', filter } });
  });

  it('an unknown list name is a usage error quoting it, with the list usage', () => {
    expect(usageError('list closed')).toBe('Unknown list "closed". Usage: /vuln list [open|overdue|mine]');
  });
});

describe('/vuln show|ack|assign|reveal <ID>', () => {
  it.each([
    ['show VULN-0007', 'show'],
    ['ack VULN-0007', 'ack'],
    ['acknowledge VULN-0007', 'ack'],
    ['ACKNOWLEDGE VULN-0007', 'ack'],
    ['assign VULN-0007', 'assign'],
    ['assign VULN-0007 me', 'assign'],
    ['assign VULN-0007 ME', 'assign'],
    ['reveal VULN-0007', 'reveal'],
    ['Show VULN-0007', 'show'],
  ] as const)('%j is %s of VULN-0007', (text, name) => {
    expect(parseVulnCommand(text)).toEqual({ ok: true, value: { name, id: 'VULN-0007' } });
  });

  it('the ID is passed on as typed (IDs are normalised later, case-insensitively)', () => {
    expect(parseVulnCommand('show vuln-7')).toEqual({ ok: true, value: { name: 'show', id: 'vuln-7' } });
  });

  it('extra spaces and tabs between words are ignored', () => {
    expect(parseVulnCommand('  show \t  VULN-0007   ')).toEqual({
      ok: true,
      value: { name: 'show', id: 'VULN-0007' },
    });
  });

  it.each(['show', 'ack', 'assign', 'reveal'] as const)(
    '"%s" without an ID asks which report, with the usage text',
    (name) => {
      expect(usageError(name)).toBe(`Which report? Usage: ${VULN_SUBCOMMANDS[name].usage}`);
    },
  );

  it('assigning to someone else is refused: reports can only be assigned to yourself', () => {
    const message = usageError('assign VULN-0007 @bob');
    expect(message).toMatch(/assigned to yourself/);
    expect(message).toMatch(/Usage: \/vuln assign <ID> \[me\]$/);
  });
});

describe('/vuln <subcommand> <ID> <value>: the value is kept intact', () => {
  it.each([
    ['severity VULN-0007 high', 'severity', 'high'],
    ['sev VULN-0007 critical', 'severity', 'critical'],
    ['SEV VULN-0007 none', 'severity', 'none'],
    [`severity VULN-0007 ${CVSS_31}`, 'severity', CVSS_31],
    [`severity VULN-0007 ${CVSS_40}`, 'severity', CVSS_40],
    ['status VULN-0007 triaged', 'status', 'triaged'],
    ['disclose VULN-0007 2027-03-01', 'disclose', '2027-03-01'],
    ['disclose VULN-0007 +30d', 'disclose', '+30d'],
    ['disclosure VULN-0007 +30d', 'disclose', '+30d'],
    ['duplicate VULN-0007 VULN-0003', 'duplicate', 'VULN-0003'],
    ['dup VULN-0007 vuln-3', 'duplicate', 'vuln-3'],
    ['oos VULN-0007 third_party', 'oos', 'third_party'],
    ['out-of-scope VULN-0007 denial_of_service', 'oos', 'denial_of_service'],
    ['out_of_scope VULN-0007 other', 'oos', 'other'],
    ['OOS VULN-0007 compromised_credential', 'oos', 'compromised_credential'],
    ['reply VULN-0007 Thanks, we reproduced it.', 'reply', 'Thanks, we reproduced it.'],
    ['note VULN-0007 Looks like CVE-2021-44228 again', 'note', 'Looks like CVE-2021-44228 again'],
  ] as const)('%j → %s with value %j', (text, name, value) => {
    expect(parseVulnCommand(text)).toEqual({ ok: true, value: { name, id: 'VULN-0007', value } });
  });

  it('a CVSS vector keeps its case and slashes exactly', () => {
    const lower = 'cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h';
    expect(parseVulnCommand(`severity VULN-0007 ${lower}`)).toEqual({
      ok: true,
      value: { name: 'severity', id: 'VULN-0007', value: lower },
    });
  });

  it('a status with a message keeps the whole message after the status word', () => {
    expect(parseVulnCommand('status VULN-0007 needs_info Which version did you test?')).toEqual({
      ok: true,
      value: { name: 'status', id: 'VULN-0007', value: 'needs_info Which version did you test?' },
    });
  });

  it('a multi-line reply keeps its inner spacing and line breaks; only the ends are trimmed', () => {
    const message = 'Hi Rita,\n\nthanks  for the report.\n  - step 1\n  - step 2';
    expect(parseVulnCommand(`reply VULN-0007 ${message}\n\n`)).toEqual({
      ok: true,
      value: { name: 'reply', id: 'VULN-0007', value: message },
    });
  });

  it('the ID may be separated from a multi-line value by a line break', () => {
    expect(parseVulnCommand('note VULN-0007\nfirst line\nsecond line')).toEqual({
      ok: true,
      value: { name: 'note', id: 'VULN-0007', value: 'first line\nsecond line' },
    });
  });

  it.each(['severity', 'status', 'disclose', 'duplicate', 'oos', 'reply', 'note'] as const)(
    '"%s" without an ID asks which report, with the usage text',
    (name) => {
      expect(usageError(name)).toBe(`Which report? Usage: ${VULN_SUBCOMMANDS[name].usage}`);
    },
  );

  it.each(['severity', 'status', 'disclose', 'duplicate', 'oos', 'reply', 'note'] as const)(
    '"%s <ID>" without a value says something is missing, with the usage text',
    (name) => {
      expect(usageError(`${name} VULN-0007`)).toBe(
        `Something is missing. Usage: ${VULN_SUBCOMMANDS[name].usage}`,
      );
      expect(usageError(`${name} VULN-0007    `)).toContain(VULN_SUBCOMMANDS[name].usage);
    },
  );

  it('an alias without a value gets the usage of the command it stands for', () => {
    expect(usageError('sev VULN-0007')).toContain('Usage: /vuln severity <ID>');
    expect(usageError('disclosure')).toContain('Usage: /vuln disclose <ID> <YYYY-MM-DD|+Nd>');
  });
});

describe('/vuln with an unknown subcommand', () => {
  it.each(['frobnicate', 'delete VULN-0007', 'close VULN-0007', 'show-all'])(
    '%j is a usage error that names the word and points to help',
    (text) => {
      const word = text.split(' ')[0] ?? '';
      expect(usageError(text)).toBe(`Unknown command "${word}". Try \`/vuln help\`.`);
    },
  );

  it('the unknown word is reported in lowercase, as it was matched', () => {
    expect(usageError('FROB VULN-1')).toBe('Unknown command "frob". Try `/vuln help`.');
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'the JavaScript property name %j is not mistaken for a subcommand',
    (word) => {
      expect(usageError(`${word} VULN-0007 x`)).toMatch(/^Unknown command/);
    },
  );
});
