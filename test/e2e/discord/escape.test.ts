import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeBlock, escapeIntoChunks, escapeText } from '../../../adapters/discord/render/escape.ts';

describe('escaping reporter text for Discord', () => {
  const ACTIVE = [
    /@everyone/i,
    /@here/i,
    /<@!?&?\d+>/,
    /<#\d+>/,
    /<t:\d+/,
    /(?<!\\)\[[^\]]*(?<!\\)\]\(/,
    /https?:\/\//,
  ];
  /** URLs wrapped in <...> are links that never unfurl; anything else that looks like one is a fault. */
  const withoutWrappedUrls = (text: string) => text.replace(/<https?:\/\/[^\s<>]*>/g, '');
  const hostile = fc.oneof(
    fc.string(),
    fc
      .array(
        fc.constantFrom(
          '@everyone',
          '@here',
          '<@123>',
          '<@&456>',
          '<#789>',
          '<t:1:R>',
          '[a](https://evil)',
          'https://x.y/z',
          '**',
          '`',
          '```',
          '\\',
          '#',
          '> ',
          '\n',
          '- ',
          '1. ',
          '\u202e',
          ' ',
          'a',
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join('')),
  );

  it('leaves nothing Discord would ping, link-mask or unfurl', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const escaped = withoutWrappedUrls(escapeText(text));
        for (const pattern of ACTIVE) expect(escaped).not.toMatch(pattern);
      }),
      { numRuns: 500 },
    );
  });

  it('cuts into chunks within their limits, losing nothing when not truncated', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 210, max: 400 }), (text, limit) => {
        const { chunks, truncated } = escapeIntoChunks(text, [limit], 1_000);
        for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(limit);
        expect(truncated).toBe(false);
        expect(chunks.join('')).toBe(escapeText(text));
        const one = escapeIntoChunks(text, [limit], 1);
        expect(one.chunks[0]?.length ?? 0).toBeLessThanOrEqual(limit);
        if (one.truncated) expect(one.chunks[0]?.endsWith('…')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every chunk within even a small limit, breaking long URLs into escaped characters', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 4, max: 60 }), (text, limit) => {
        const { chunks } = escapeIntoChunks(text, [limit], 100_000);
        for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(limit);
        for (const pattern of ACTIVE.slice(0, 6)) expect(chunks.join('')).not.toMatch(pattern);
      }),
      { numRuns: 300 },
    );
  });
});

describe('code blocks for text given back to its author', () => {
  it('keeps the text exact and cannot be broken out of', () => {
    expect(codeBlock('a <@1> **b**')).toBe('```\na <@1> **b**\n```');
    const fenced = codeBlock('x\n```\n@everyone\n```');
    expect(fenced.slice(3, -3)).not.toContain('```');
    expect(codeBlock('y'.repeat(5000), 4096).length).toBeLessThanOrEqual(4096);
  });
});
