import { createReadStream } from 'node:fs';

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

/**
 * Splits a dump into statements as it streams from disk: a `;` ends a statement outside a quoted
 * literal. quote_nullable doubles every quote inside a literal, so toggling on each `'` tracks
 * literals exactly; the writer's comments hold no quote and no semicolon.
 */
export async function* readStatements(path: string): AsyncGenerator<string> {
  let current = '';
  let inQuote = false;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = chunk as string;
    let start = 0;
    let i = 0;
    // The next `;` is found once and kept until passed: searching again after every quote made a
    // 500-row statement cost its length times its number of literals.
    let semi = -2;
    while (i < text.length) {
      if (!inQuote && semi !== -1 && semi < i) semi = text.indexOf(';', i);
      const next = inQuote ? text.indexOf("'", i) : nextMark(text, i, semi);
      if (next === -1) break;
      if (text[next] === "'") {
        inQuote = !inQuote;
      } else {
        const statement = current + text.slice(start, next);
        current = '';
        start = next + 1;
        if (!onlyComments(statement)) yield statement.trim();
      }
      i = next + 1;
    }
    current += text.slice(start);
  }
  if (inQuote) throw new Error('the dump ends inside a quoted value');
  if (!onlyComments(current)) throw new Error('the dump ends in the middle of a statement');
}

function nextMark(text: string, from: number, semi: number): number {
  const quote = text.indexOf("'", from);
  if (quote === -1) return semi;
  if (semi === -1) return quote;
  return Math.min(quote, semi);
}
