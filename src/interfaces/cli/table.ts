import Table from 'cli-table3';

/** A plain-text table (no colours, so it reads the same piped or on a terminal). */
export function table(head: string[], rows: (string | number | null)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map((cell) => (cell === null ? '' : String(cell))));
  return t.toString();
}
