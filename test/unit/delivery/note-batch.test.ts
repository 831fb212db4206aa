import { describe, expect, it } from 'vitest';
import { joinNotes } from '../../../src/delivery/note-batch.ts';
import type { OutboxMessage } from '../../../src/ports/store.ts';
import type { OutboxPayload } from '../../../src/views/outbox-payload.ts';

const message = (id: number, payload: OutboxPayload): OutboxMessage => ({
  id,
  platform: 'slack',
  destination: 'triage',
  reportId: 'VULN-0007',
  payload,
  state: 'pending',
  attempts: 0,
  lastError: null,
  createdAt: new Date(0),
  nextAttemptAt: new Date(0),
});
const note = (id: number, text: string) => message(id, { type: 'thread_note', text });
const textOf = (m: OutboxMessage) => (m.payload.type === 'thread_note' ? m.payload.text : null);

describe('joining queued thread notes of one card into one post', () => {
  it('joins the followers in order, one per line, and names every note it took', () => {
    const batch = joinNotes(
      note(10, 'alice set severity to High'),
      [note(12, 'bob set severity to Medium'), note(15, 'alice acknowledged')],
      1000,
    );
    expect(textOf(batch.message)).toBe(
      'alice set severity to High\nbob set severity to Medium\nalice acknowledged',
    );
    expect(batch.message.id).toBe(10);
    expect(batch.joined).toEqual([12, 15]);
  });

  it('stops at the length limit without cutting a note: the rest waits for the next post', () => {
    const batch = joinNotes(note(1, 'a'.repeat(40)), [note(2, 'b'.repeat(40)), note(3, 'c'.repeat(40))], 90);
    expect(textOf(batch.message)).toBe(`${'a'.repeat(40)}\n${'b'.repeat(40)}`);
    expect(batch.joined).toEqual([2]);
  });

  it('sends a note longer than the limit on its own, as before', () => {
    const head = note(1, 'x'.repeat(500));
    const batch = joinNotes(head, [note(2, 'short')], 100);
    expect(batch.message).toBe(head);
    expect(batch.joined).toEqual([]);
  });

  it('stops at the first message that is not a thread note, so order across kinds is kept', () => {
    const batch = joinNotes(
      note(1, 'one'),
      [note(2, 'two'), message(3, { type: 'channel_text', title: 't', lines: [] }), note(4, 'four')],
      1000,
    );
    expect(textOf(batch.message)).toBe('one\ntwo');
    expect(batch.joined).toEqual([2]);
  });

  it('masks each joined note as it would have been masked alone', () => {
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const batch = joinNotes(note(1, 'first'), [note(2, `key ${secret} pasted`)], 1000);
    expect(textOf(batch.message)).not.toContain(secret);
    expect(textOf(batch.message)?.startsWith('first\nkey ')).toBe(true);
  });
});
