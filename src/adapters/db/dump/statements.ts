import { createReadStream } from 'node:fs';

/**
 * One piece of a dump as it streams from disk: a SQL statement; the start of a `COPY … FROM stdin`
 * block; some of its rows (whole lines of COPY text, never cut mid-line); the block's end.
 */
export type DumpPart =
  | { kind: 'statement'; text: string }
  | { kind: 'copy'; statement: string }
  | { kind: 'rows'; data: Buffer }
  | { kind: 'copy-end' };

const QUOTE = 0x27;
const SEMICOLON = 0x3b;
const NEWLINE = 0x0a;
// Inside COPY text a backslash is always doubled, so a line `\.` can only be the end of the rows.
const END_OF_ROWS = Buffer.from('\n\\.\n');
const COPY_FROM_STDIN = /^COPY\s.+\sFROM\s+stdin$/is;

/** True when the text holds nothing but blank lines and `--` comments (stops at the first other line). */
function onlyComments(text: string): boolean {
  let from = 0;
  while (from < text.length) {
    const end = text.indexOf('\n', from);
    const line = text.slice(from, end === -1 ? text.length : end).trim();
    if (line !== '' && !line.startsWith('--')) return false;
    if (end === -1) break;
    from = end + 1;
  }
  return true;
}

/** The statement without the `--` comment lines and blank lines before it. */
function withoutComments(statement: string): string {
  return statement.replace(/^(?:[ \t]*(?:--[^\n]*)?\n)*/, '').trim();
}

/** Where the rows of a COPY block end in `text` from `from` (a line start): the `\.` line's index, or -1. */
function endOfRows(text: Buffer, from: number): number {
  if (text[from] === 0x5c && text[from + 1] === 0x2e && text[from + 2] === NEWLINE) return from;
  const found = text.indexOf(END_OF_ROWS, from);
  return found === -1 ? -1 : found + 1;
}

/**
 * Splits a dump into statements and COPY blocks as it streams from disk, in bytes (UTF-8 never
 * puts a quote, semicolon or newline inside a multi-byte character). A `;` ends a statement outside
 * a quoted literal: the writer doubles every quote inside one, and its comments hold neither.
 */
export async function* readDump(path: string, chunkBytes = 1 << 20): AsyncGenerator<DumpPart> {
  let pieces: Buffer[] = []; // the statement so far, from earlier chunks
  let inQuote = false;
  let copying = false;
  let skipLine = false; // the rest of the `COPY … FROM stdin;` line, before its rows
  let carry: Buffer | undefined; // in a COPY block: the unfinished last line of the previous chunk
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    const text = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    carry = undefined;
    let i = 0;
    let start = 0;
    // The next `;` is found once and kept until passed: searching again after every quote made a
    // 500-row statement cost its length times its number of literals.
    let semi = -2;
    while (i < text.length) {
      if (skipLine) {
        const newline = text.indexOf(NEWLINE, i);
        if (newline === -1) break;
        skipLine = false;
        i = newline + 1;
        start = i;
      } else if (copying) {
        const end = endOfRows(text, i);
        if (end === -1) {
          const last = text.lastIndexOf(NEWLINE);
          if (last >= i) yield { kind: 'rows', data: text.subarray(i, last + 1) };
          carry = text.subarray(Math.max(i, last + 1));
          break;
        }
        if (end > i) yield { kind: 'rows', data: text.subarray(i, end) };
        yield { kind: 'copy-end' };
        copying = false;
        i = end + 3;
        start = i;
        semi = -2;
      } else {
        if (!inQuote && semi !== -1 && semi < i) semi = text.indexOf(SEMICOLON, i);
        const next = inQuote ? text.indexOf(QUOTE, i) : nextMark(text, i, semi);
        if (next === -1) break;
        i = next + 1;
        if (text[next] === QUOTE) {
          inQuote = !inQuote;
          continue;
        }
        const statement = Buffer.concat([...pieces, text.subarray(start, next)]).toString('utf8');
        pieces = [];
        start = i;
        if (onlyComments(statement)) continue;
        const trimmed = statement.trim();
        const copy = withoutComments(trimmed);
        if (COPY_FROM_STDIN.test(copy)) {
          yield { kind: 'copy', statement: copy };
          copying = true;
          skipLine = true;
        } else {
          yield { kind: 'statement', text: trimmed };
        }
      }
    }
    if (!copying && !skipLine && start < text.length) pieces.push(text.subarray(start));
  }
  if (copying || skipLine) throw new Error('the dump ends inside the rows of a COPY block');
  if (inQuote) throw new Error('the dump ends inside a quoted value');
  if (!onlyComments(Buffer.concat(pieces).toString('utf8'))) {
    throw new Error('the dump ends in the middle of a statement');
  }
}

function nextMark(text: Buffer, from: number, semi: number): number {
  const quote = text.indexOf(QUOTE, from);
  if (quote === -1) return semi;
  if (semi === -1) return quote;
  return Math.min(quote, semi);
}
