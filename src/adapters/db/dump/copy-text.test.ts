import { describe, expect, it } from 'vitest';
import { copyLine, copyLineToTuple } from './copy-text.ts';

describe('COPY text', () => {
  it('escapes what COPY escapes and writes NULL as \\N', () => {
    expect(copyLine(['a\tb', null, 'c\\d\ne\rf', "it's", '\b\f\v'])).toBe(
      "a\\tb\t\\N\tc\\\\d\\ne\\rf\tit's\t\\b\\f\\v",
    );
  });

  it('turns a line back into SQL literals with the same values', () => {
    const values = ['a\tb', null, 'c\\d\ne\rf', "it's", '₹ \b\f\v', ''];
    expect(copyLineToTuple(copyLine(values))).toBe("('a\tb',NULL,'c\\d\ne\rf','it''s','₹ \b\f\v','')");
  });

  it('reads octal and hex escapes as the bytes they name (a UTF-8 character in three)', () => {
    expect(copyLineToTuple('\\342\\x82\\xb9\t\\101\\q')).toBe("('₹','Aq')");
  });
});
