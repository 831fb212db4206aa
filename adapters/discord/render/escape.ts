import { showControls } from '../../../src/views/visible-controls.ts';

/** Zero-width space: breaks `@everyone`, `<@id>`, `<#id>`, `<t:..>` and code fences without hiding text. */
const ZWSP = '\u200b';

/**
 * One token of reporter text: a URL (kept whole, wrapped in `<...>` so it never unfurls; an `@` ends
 * it, so `https://good@evil` cannot hide its host and `@everyone` never rides inside), a broadcast
 * mention, a list marker at the start of a line, or a single character.
 */
const TOKEN =
  /(https?:\/\/[^\s<>[\]()"'`|\\@]*[^\s<>[\]()"'`|\\@.,;:!?])|@(everyone|here)|((?<=^|\n)[ \t]*(?:\d+\.|[-+]))|([\s\S])/giu;

/**
 * Markdown that could format reporter text, or make it look like the bot's own fields. Headings,
 * quotes and subtext are escaped wherever they appear (a chunk may start mid-line); list markers
 * (`-`, `+`, `1.`) only at the start of a line, so IDs and dates keep their hyphens.
 */
const MARKDOWN = new Set(['\\', '*', '_', '~', '`', '|', '[', ']', '(', ')', '#', '>']);

/** Longer URLs are escaped character by character, so every piece fits any chunk the bot uses. */
const MAX_WRAPPED_URL = 200;

const escapeChar = (char: string): string => {
  if (char === '<') return `<${ZWSP}`;
  return MARKDOWN.has(char) ? `\\${char}` : char;
};

/** Escaped pieces of the text, in order; each piece is safe on its own, so text may be cut between them. */
const escapedPieces = function* (text: string): Generator<string> {
  for (const [whole, url, broadcast, listMarker] of showControls(text).matchAll(TOKEN)) {
    if (url !== undefined && url.length <= MAX_WRAPPED_URL) yield `<${url}>`;
    else if (url !== undefined) yield* Array.from(url, escapeChar);
    else if (broadcast !== undefined) yield `@${ZWSP}${broadcast}`;
    else if (listMarker !== undefined) yield `${listMarker.slice(0, -1)}\\${listMarker.slice(-1)}`;
    else yield escapeChar(whole);
  }
};

/**
 * Makes reporter (or any user-supplied) text inert in Discord markdown: it cannot mention, link-mask,
 * format, unfurl a URL, or hide characters. Invisible and bidi characters are shown as `\u{..}`.
 */
export const escapeText = (text: string): string => [...escapedPieces(text)].join('');

export const TRUNCATION_MARK = '…';

export interface EscapedChunks {
  readonly chunks: readonly string[];
  /** True when text was left over after the last chunk (the last chunk then ends with `…`). */
  readonly truncated: boolean;
}

/**
 * Escapes text into chunks, the i-th at most `limits[i]` characters (the last limit repeats up to
 * `maxChunks`). Cuts fall between escaped pieces, so no escape or URL wrapper is ever split.
 */
export const escapeIntoChunks = (
  text: string,
  limits: readonly number[],
  maxChunks = limits.length,
): EscapedChunks => {
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  const limitAt = (index: number) => limits[Math.min(index, limits.length - 1)] ?? 0;
  const smallest = Math.max(1, Math.min(...limits.slice(0, maxChunks)));
  for (const whole of escapedPieces(text)) {
    for (const piece of fitting(whole, smallest)) {
      if (length + piece.length <= limitAt(chunks.length)) {
        current.push(piece);
        length += piece.length;
        continue;
      }
      if (chunks.length + 1 >= maxChunks) {
        return { chunks: [...chunks, withMark(current, length, limitAt(chunks.length))], truncated: true };
      }
      chunks.push(current.join(''));
      current = [piece];
      length = piece.length;
    }
  }
  return { chunks: [...chunks, current.join('')], truncated: false };
};

/** A wrapped URL too long for the smallest chunk is escaped character by character instead. */
const fitting = (piece: string, limit: number): readonly string[] => {
  if (piece.length <= limit) return [piece];
  if (piece.startsWith('<') && piece.endsWith('>')) return Array.from(piece.slice(1, -1), escapeChar);
  return Array.from(piece);
};

/** Drops whole pieces from the end until the mark fits, so no escape is left dangling before it. */
const withMark = (pieces: string[], length: number, limit: number): string => {
  const kept = [...pieces];
  let size = length;
  while (kept.length > 0 && size + TRUNCATION_MARK.length > limit) size -= kept.pop()?.length ?? 0;
  return `${kept.join('')}${TRUNCATION_MARK}`;
};

/** Escaped text within one limit, with `…` when cut. */
export const escapeClip = (text: string, limit: number): string =>
  escapeIntoChunks(text, [limit], 1).chunks[0] ?? '';

/**
 * Text in a fenced code block, shown exactly as typed (so a reporter can copy it back), with fences
 * inside it broken so it cannot escape the block. Mentions and links do not render in code blocks.
 */
export const codeBlock = (text: string, limit: number = Number.POSITIVE_INFINITY): string => {
  const inner = showControls(text).replace(/`(?=`)/g, `\`${ZWSP}`);
  const room = limit - 8;
  const body = inner.length > room ? `${inner.slice(0, Math.max(0, room - 1))}${TRUNCATION_MARK}` : inner;
  return `\`\`\`\n${body || ' '}\n\`\`\``;
};
