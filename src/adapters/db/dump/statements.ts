import { createReadStream } from 'node:fs';

const onlyComments = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));

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
    while (i < text.length) {
      const next = inQuote ? text.indexOf("'", i) : nextMark(text, i);
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

function nextMark(text: string, from: number): number {
  const quote = text.indexOf("'", from);
  const semi = text.indexOf(';', from);
  if (quote === -1) return semi;
  if (semi === -1) return quote;
  return Math.min(quote, semi);
}
