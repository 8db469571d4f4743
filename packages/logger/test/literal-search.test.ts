import { describe, expect, it } from 'vitest';
import { createLiteralSearch } from '../src/literal-search.js';

describe('createLiteralSearch', () => {
  it('replaces literals at the start, in the middle, at the end and side by side', () => {
    const search = createLiteralSearch(['abcdefg', 'xyz123'])!;
    expect(search.replaceAll('abcdefg-xyz123 xyz123abcdefg', '#')).toBe(
      '#-# ##',
    );
  });

  it('replaces the longest of two literals that start at the same place', () => {
    const search = createLiteralSearch(['secret', 'secret-longer'])!;
    expect(search.replaceAll('a secret-longer b secret c', '#')).toBe(
      'a # b # c',
    );
  });

  it('returns the very text it was given when nothing matches', () => {
    const search = createLiteralSearch(['needle-one', 'needle-two'])!;
    const text = `{"msg":"needle-on","x":"${'n'.repeat(500)}","é":"needle-tw"}`;
    expect(search.replaceAll(text, '#')).toBe(text);
  });

  it('replaces the leftmost occurrence first, among thousands of characters that share its blocks', () => {
    const search = createLiteralSearch(['aab', 'abaab'])!;
    expect(search.replaceAll('aaaaaaaaaabaab', '#')).toBe('aaaaaaaa##');
    expect(search.replaceAll(`${'ab'.repeat(1000)}aab`, '#')).toBe(
      `${'ab'.repeat(999)}#`,
    );
  });

  it('notes a marker without replacing it, and forgets it on the next text', () => {
    const search = createLiteralSearch(['replace-me'], ['anchor'])!;
    expect(search.replaceAll('an anchor and replace-me', '#')).toBe(
      'an anchor and #',
    );
    expect(search.sawMarker).toBe(true);
    expect(search.replaceAll('nothing here', '#')).toBe('nothing here');
    expect(search.sawMarker).toBe(false);
  });

  it('ignores literals shorter than three characters, and is undefined without any', () => {
    expect(createLiteralSearch(['ab', 'c'])).toBeUndefined();
    expect(createLiteralSearch(['ab', 'abc'])!.replaceAll('ab abc', '#')).toBe(
      'ab #',
    );
  });

  it('replaces exactly what a longest-first regular expression alternation replaces, over 500 random texts', () => {
    // a seeded generator over a four-letter alphabet, so literals overlap, nest and repeat often
    let seed = 0x2f6e2b1;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const word = (min: number, max: number): string =>
      Array.from(
        { length: min + next(max - min + 1) },
        () => 'abcd'[next(4)],
      ).join('');
    for (let round = 0; round < 500; round++) {
      const literals = [
        ...new Set(Array.from({ length: 1 + next(5) }, () => word(3, 8))),
      ];
      const text = word(0, 120);
      const reference = new RegExp(
        [...literals].sort((a, b) => b.length - a.length).join('|'),
        'g',
      );
      expect(
        createLiteralSearch(literals)!.replaceAll(text, '#'),
        `${literals.join(',')} in ${text}`,
      ).toBe(text.replace(reference, '#'));
    }
  });
});
