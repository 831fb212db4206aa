import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/report.ts';
import type { CardRef, NewAuditEvent, Store } from '../../src/ports/store.ts';
import { STORE_KINDS, type TestStore } from '../support/databases.ts';
import { withFastReset } from '../support/fast-reset.ts';

const card = (overrides: Partial<CardRef> = {}): CardRef => ({
  reportId: 'VULN-0001',
  platform: 'slack',
  channelId: 'C0TRIAGE',
  messageId: '1764147600.000100',
  threadId: '1764147600.000100',
  renderedVersion: null,
  ...overrides,
});

const alice: Actor = { platform: 'slack', userId: 'UALICE', displayName: 'alice' };
const rita: Actor = { platform: 'discord', userId: '123456', displayName: 'rita' };

const event = (overrides: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
  reportId: 'VULN-0001',
  actor: alice,
  action: 'report.acknowledged',
  before: { status: 'new', acknowledgedAt: null },
  after: { status: 'acknowledged', acknowledgedAt: '2026-11-26T09:00:00.000Z' },
  at: new Date('2026-11-26T09:00:00.123Z'),
  ...overrides,
});

describe.each(STORE_KINDS)('card and audit repositories on %s', (_kind, openStore) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = withFastReset(await openStore());
    store = testStore.store;
  });
  beforeEach(async () => {
    await testStore.reset();
  });
  afterAll(async () => {
    await testStore?.close();
  });

  describe('card repository', () => {
    it('finds nothing for a report whose card was never posted', async () => {
      expect(await store.cards.find('VULN-0001', 'slack')).toBeNull();
    });

    it('finds a saved card on its platform only', async () => {
      await store.cards.save(card());

      expect(await store.cards.find('VULN-0001', 'slack')).toEqual(card());
      expect(await store.cards.find('VULN-0001', 'discord')).toBeNull();
      expect(await store.cards.find('VULN-0002', 'slack')).toBeNull();
    });

    it('keeps one card per report and platform', async () => {
      const discordCard = card({ platform: 'discord', channelId: '111', messageId: '222', threadId: null });
      await store.cards.save(card());
      await store.cards.save(discordCard);

      expect(await store.cards.find('VULN-0001', 'slack')).toEqual(card());
      expect(await store.cards.find('VULN-0001', 'discord')).toEqual(discordCard);
    });

    it('saving again replaces the channel, message and thread (a reposted card)', async () => {
      await store.cards.save(card());
      const reposted = card({ channelId: 'C0NEW', messageId: '2.0', threadId: null });

      await store.cards.save(reposted);

      expect(await store.cards.find('VULN-0001', 'slack')).toEqual(reposted);
    });

    it('remembers which report version the card shows, and a newer one replaces it', async () => {
      const first = card({ renderedVersion: new Date('2026-11-26T09:00:00.123Z') });
      const second = card({ renderedVersion: new Date('2026-11-27T10:00:00.456Z') });

      await store.cards.save(first);
      expect(await store.cards.find('VULN-0001', 'slack')).toEqual(first);

      await store.cards.save(second);
      expect(await store.cards.find('VULN-0001', 'slack')).toEqual(second);
    });

    it('reads a card saved without a rendered version as not yet rendered', async () => {
      const { renderedVersion: _version, ...unrendered } = card();
      await store.cards.save(unrendered);

      expect((await store.cards.find('VULN-0001', 'slack'))?.renderedVersion ?? null).toBeNull();
    });
  });

  describe('audit repository', () => {
    it('lists nothing for a report without events', async () => {
      expect(await store.audit.listForReport('VULN-0001')).toEqual([]);
    });

    it('lists a report’s events in the order they were appended, with every field', async () => {
      const events = [
        event({
          actor: rita,
          action: 'report.submitted',
          before: {},
          after: { status: 'new' },
          at: new Date('2026-11-26T10:00:00Z'),
        }),
        event({ at: new Date('2026-11-26T09:00:00Z') }),
        event({
          action: 'report.note_added',
          before: {},
          after: { note: 'nested', details: { list: [1, 'two', null], flag: true } },
        }),
      ];
      for (const e of events) await store.audit.append(e);

      const listed = await store.audit.listForReport('VULN-0001');

      expect(listed.map(({ id: _id, ...rest }) => rest)).toEqual(events);
      const ids = listed.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(3);
    });

    it('lists only the events of the report asked for', async () => {
      await store.audit.append(event({ reportId: 'VULN-0001' }));
      await store.audit.append(event({ reportId: 'VULN-0002', action: 'report.assigned' }));
      await store.audit.append(event({ reportId: 'VULN-0001', action: 'report.severity_set' }));

      expect((await store.audit.listForReport('VULN-0001')).map((e) => e.action)).toEqual([
        'report.acknowledged',
        'report.severity_set',
      ]);
      expect((await store.audit.listForReport('VULN-0002')).map((e) => e.action)).toEqual([
        'report.assigned',
      ]);
    });

    it('keeps an event appended in a rolled-back transaction out of the trail', async () => {
      await store.audit.append(event());
      await expect(
        store.transaction(async (repos) => {
          await repos.audit.append(event({ action: 'report.assigned' }));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');

      expect((await store.audit.listForReport('VULN-0001')).map((e) => e.action)).toEqual([
        'report.acknowledged',
      ]);
    });
  });
});
