// PostgreSQL's COPY text format: a row per line, fields split by tabs, NULL as `\N`, and a
// backslash escaping the backslash, the tab, the line breaks and \b \f \v.

const ESCAPE: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};
const UNESCAPE: Record<string, number> = { b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
const NEEDS_ESCAPE = /[\\\t\n\r\b\f\v]/g;

/** One row as a line of COPY text (no newline), each value as the server's text output or null. */
export function copyLine(values: (string | null)[]): string {
  return values.map((v) => (v === null ? '\\N' : v.replace(NEEDS_ESCAPE, (c) => ESCAPE[c] ?? c))).join('\t');
}

const ESCAPED = /\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|([\s\S]))/g;

/** A field's value: the escapes undone, octal and hex ones as the bytes they name. */
function unescapeField(field: string): string {
  if (!field.includes('\\')) return field;
  const bytes: Buffer[] = [];
  let run = 0;
  for (const m of field.matchAll(ESCAPED)) {
    bytes.push(Buffer.from(field.slice(run, m.index), 'utf8'));
    const [whole, octal, hex, other = ''] = m;
    const code = UNESCAPE[other];
    if (octal) bytes.push(Buffer.from([Number.parseInt(octal, 8) & 0xff]));
    else if (hex) bytes.push(Buffer.from([Number.parseInt(hex, 16)]));
    else bytes.push(code === undefined ? Buffer.from(other, 'utf8') : Buffer.from([code]));
    run = m.index + whole.length;
  }
  bytes.push(Buffer.from(field.slice(run), 'utf8'));
  return Buffer.concat(bytes).toString('utf8');
}

/** One line of COPY text as a SQL row of literals, `('a',NULL,'it''s')`, for a multi-row INSERT. */
export function copyLineToTuple(line: string): string {
  const literals = line.split('\t').map((field) => {
    if (field === '\\N') return 'NULL';
    return `'${unescapeField(field).replaceAll("'", "''")}'`;
  });
  return `(${literals.join(',')})`;
}
