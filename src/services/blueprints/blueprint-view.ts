import type { BlueprintRow } from '../../adapters/db/schema-checkout.ts';

/** A blueprint as its owner sees it. */
export type BlueprintView = {
  id: string;
  title: string;
  status: 'draft' | 'saved';
  savedAt: string | null;
  createdAt: string;
  content?: unknown;
};

/** Maps a row to its public shape; lists leave the content out to stay small. */
export function toBlueprintView(row: BlueprintRow, withContent = true): BlueprintView {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    savedAt: row.saved_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    ...(withContent ? { content: row.content } : {}),
  };
}
