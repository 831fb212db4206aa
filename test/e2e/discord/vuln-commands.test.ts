import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, VULN_COMMAND, vulnCommandText } from '../../../adapters/discord/commands.ts';
import { createDiscordRest } from '../../../adapters/discord/discord-rest.ts';
import { registerGuildCommands } from '../../../adapters/discord/register-commands.ts';
import { DISCORD_LIMITS } from '../../../adapters/discord/render/limits.ts';
import { VULN_SUBCOMMANDS } from '../../../src/commands/parse-vuln-command.ts';
import { FAKE_IDS, FAKE_TOKEN } from '../../fakes/discord/fake-discord.ts';
import {
  autocomplete,
  focused,
  type InteractionPayload,
  option,
  slashCommand,
  subcommand,
} from '../../fakes/discord/interaction-payloads.ts';
import type { TestStore } from '../../support/databases.ts';
import { cachedPgliteStore } from './cached-pglite.ts';
import {
  CALLBACK,
  type DiscordHarness,
  EDIT_ORIGINAL,
  OUTSIDER_ID,
  startDiscordHarness,
  submitReportModal,
  TRIAGE_CHANNEL,
  TRIAGER_ID,
} from './discord-harness.ts';

describe('/vuln on Discord: typed options, autocomplete, the same grammar as every platform', () => {
  let db: TestStore;
  let h: DiscordHarness;
  const triager = { userId: TRIAGER_ID, username: 'alice', channelId: TRIAGE_CHANNEL };

  const vuln = (name: string, options: ReturnType<typeof option>[] = [], who: object = triager) =>
    slashCommand({ name: 'vuln', options: [subcommand(name, options)], ...who });
  /** Runs a /vuln command and returns the private answer's text. */
  const run = async (payload: InteractionPayload): Promise<string> => {
    const first = await h.send(payload);
    expect(first.body).toEqual({ type: 5, data: { flags: 64 } });
    const answer = h.calls(EDIT_ORIGINAL).find((c) => c.params.token === payload.token);
    const body = answer?.body as { content?: string; embeds?: { title?: string; description?: string }[] };
    return [
      body.content ?? '',
      ...(body.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '']),
    ].join('\n');
  };

  beforeAll(async () => {
    db = await cachedPgliteStore();
    h = await startDiscordHarness(db);
  });
  afterAll(async () => {
    await h.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.reset();
    await submitReportModal(h, { title: 'SQL injection in search' });
    await submitReportModal(h, { title: 'Stored XSS in settings' });
    await h.settle();
    h.clear();
  });

  it('defines a subcommand for every core subcommand, within Discord’s limits', () => {
    const names = VULN_COMMAND.options.map((o) => o.name);
    expect(names.sort()).toEqual(Object.keys(VULN_SUBCOMMANDS).sort());
    expect(names.length).toBeLessThanOrEqual(DISCORD_LIMITS.commandOptions);
    const check = (o: {
      name: string;
      description: string;
      options?: readonly object[];
      choices?: readonly object[];
    }) => {
      expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(o.description.length).toBeGreaterThan(0);
      expect(o.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.commandDescription);
      expect((o.choices ?? []).length).toBeLessThanOrEqual(25);
      for (const choice of (o.choices ?? []) as { name: string }[])
        expect(choice.name.length).toBeLessThanOrEqual(100);
      for (const child of (o.options ?? []) as (typeof o)[]) check(child);
    };
    for (const command of COMMANDS) check(command as never);
  });

  it('builds the shared text grammar from typed options', () => {
    expect(
      vulnCommandText('severity', { id: ' vuln-7 ', level: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }),
    ).toBe('severity vuln-7 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(vulnCommandText('status', { id: 'VULN-1', status: 'needs_info', message: 'Which version?' })).toBe(
      'status VULN-1 needs_info Which version?',
    );
    expect(vulnCommandText('list', {})).toBe('list');
  });

  it('registers both commands with one bulk overwrite of the guild’s commands', async () => {
    const rest = createDiscordRest({ apiBase: h.fake.apiBase, botToken: FAKE_TOKEN });
    const registered = await registerGuildCommands(rest, FAKE_IDS.app, FAKE_IDS.guild);
    expect(registered.map((c) => c.name)).toEqual(['report-vuln', 'vuln']);
    const put = h.calls('PUT /applications/:appId/guilds/:guildId/commands')[0];
    expect(put?.params).toEqual({ appId: FAKE_IDS.app, guildId: FAKE_IDS.guild });
    expect(put?.headers.authorization).toBe(`Bot ${FAKE_TOKEN}`);
  });

  it('show, severity (CVSS), disclose and list work from the keyboard, with IDs case-insensitive', async () => {
    expect(await run(vuln('show', [option('id', 'vuln-1')]))).toContain('VULN-0001: SQL injection in search');
    const vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    expect(await run(vuln('severity', [option('id', 'VULN-0001'), option('level', vector)]))).toContain(
      'Critical',
    );
    expect(await run(vuln('disclose', [option('id', 'VULN-0002'), option('date', '2031-01-15')]))).toContain(
      '2031-01-15',
    );
    const list = await run(vuln('list', [option('filter', 'open')]));
    expect(list).toContain('VULN-0001');
    expect(list).toContain('VULN-0002');
    expect(await run(vuln('help'))).toContain('/vuln severity');
    const report = await h.core.store.reports.findById('VULN-0001');
    expect(report).toMatchObject({ severity: 'critical', cvssVector: vector });
  });

  it('answers a missing report with a private "not found", never silence', async () => {
    expect(await run(vuln('ack', [option('id', 'VULN-0099')]))).toContain('No report VULN-0099 exists');
  });

  it('autocompletes report IDs for triagers only', async () => {
    const forTriager = await h.send(
      autocomplete({ name: 'vuln', options: [subcommand('ack', [focused('id', 'xss')])], ...triager }),
    );
    expect(forTriager.body).toMatchObject({
      type: 8,
      data: { choices: [{ value: 'VULN-0002', name: expect.stringContaining('Stored XSS in settings') }] },
    });
    const forOutsider = await h.send(
      autocomplete({ name: 'vuln', options: [subcommand('ack', [focused('id', '')])], userId: OUTSIDER_ID }),
    );
    expect(forOutsider.body).toEqual({ type: 8, data: { choices: [] } });
  });

  it('autocompletes severity levels and keeps a typed CVSS vector', async () => {
    const levels = await h.send(
      autocomplete({
        name: 'vuln',
        options: [subcommand('severity', [option('id', 'VULN-0001'), focused('level', 'h')])],
        ...triager,
      }),
    );
    expect(levels.body).toEqual({ type: 8, data: { choices: [{ name: 'High', value: 'high' }] } });
    const typed = await h.send(
      autocomplete({
        name: 'vuln',
        options: [subcommand('severity', [option('id', 'VULN-0001'), focused('level', 'CVSS:3.1/AV:N')])],
        ...triager,
      }),
    );
    expect(typed.body).toMatchObject({ data: { choices: [{ value: 'CVSS:3.1/AV:N' }] } });
    expect(h.calls(CALLBACK)).toHaveLength(2);
  });
});
