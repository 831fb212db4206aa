/** C0/C1 controls (except newline and tab), zero-width and bidi-override characters. */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Shows invisible and direction-changing characters as `\u{..}`, so reporter text cannot rewrite a
 * terminal, reorder what a reader sees, or hide content. The stored text is never changed.
 */
export const showControls = (text: string): string =>
  text.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`);
