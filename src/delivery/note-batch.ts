import type { OutboxMessage } from '../ports/store.ts';
import { maskText } from '../security/sensitive-data.ts';

/** Thread-note text one post carries when the platform does not say (characters, before escaping). */
export const DEFAULT_NOTE_CHARS = 2500;

/** At most this many queued notes are read to join one post. */
export const MAX_JOINED_NOTES = 50;

export interface NoteBatch {
  /** The head message, its text now the joined notes (each masked). */
  readonly message: OutboxMessage;
  /** The followers whose text went into this post, oldest first. */
  readonly joined: readonly number[];
}

const noteText = (message: OutboxMessage): string | null =>
  message.payload.type === 'thread_note' ? maskText(message.payload.text) : null;

/**
 * Joins a thread note with the notes queued right after it (same card, in order), one per line, while
 * the text stays within `maxChars`. A note that would not fit is left for the next post, so nothing is
 * cut; the head goes even when it is longer on its own.
 */
export const joinNotes = (
  head: OutboxMessage,
  followers: readonly OutboxMessage[],
  maxChars: number,
): NoteBatch => {
  const first = noteText(head);
  if (first === null) return { message: head, joined: [] };
  let text = first;
  const joined: number[] = [];
  for (const follower of followers) {
    const next = noteText(follower);
    if (next === null || text.length + 1 + next.length > maxChars) break;
    text = `${text}\n${next}`;
    joined.push(follower.id);
  }
  if (joined.length === 0) return { message: head, joined };
  return { message: { ...head, payload: { type: 'thread_note', text } }, joined };
};
