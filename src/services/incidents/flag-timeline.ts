import type { Repos } from '../../adapters/db/repos.ts';
import { FLAG_LABELS, type FlagName, type FlagState } from '../../domain/flags.ts';

/** One flag moved by a change, as the timeline says it. */
export type FlagMoveLine = { name: FlagName; from: FlagState; to: FlagState };

/**
 * Adds one `flag` entry (or `emergency`) to every open incident, in the caller's transaction, so
 * each incident's timeline shows the kill switches moving; returns the incidents it touched.
 */
export function recordFlagMoves(
  repos: Repos,
  change: {
    moves: FlagMoveLine[];
    reason: string;
    actor: string;
    at: Date;
    heading?: string;
    kind?: 'flag' | 'emergency';
  },
): Promise<string[]> {
  const moved = change.moves
    .map((m) => `${FLAG_LABELS[m.name]} ${m.from === m.to ? `${m.to} (already)` : `${m.to} (was ${m.from})`}`)
    .join(', ');
  const heading = change.heading ? `${change.heading}: ` : '';
  return repos.incidents.addEntryToOpen({
    at: change.at,
    kind: change.kind ?? 'flag',
    message: `${heading}${moved}; reason: ${change.reason}`.slice(0, 2000),
    actor: change.actor,
  });
}
