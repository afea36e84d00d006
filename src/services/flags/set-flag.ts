import type { FlagWrite } from '../../adapters/db/flags-repo.ts';
import type { Repos } from '../../adapters/db/repos.ts';
import { AppError } from '../../domain/errors.ts';
import {
  type EffectiveFlag,
  effectiveFlags,
  FLAG_LABELS,
  type FlagName,
  type FlagState,
  NORMAL_STATE,
  normalFlag,
  type StoredFlag,
} from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';
import { recordFlagMoves } from '../incidents/flag-timeline.ts';
import { durationOf, flagNamed, optionalMessage, requiredReason } from './flag-input.ts';

/** One operator change: which flag, its new state, why, and for how long (`30m`: reverts by itself). */
export type SetFlagInput = {
  name: string;
  state: string;
  reason?: string | undefined;
  message?: string | null | undefined;
  for?: string | undefined;
  actor: string;
};

/** The flag before and after the change, and how it acts on this instance now (PAYMENTS_ENABLED=false may still win). */
export type FlagChange = { previous: StoredFlag; flag: StoredFlag; effective: EffectiveFlag };

function stateOf(raw: string): FlagState {
  if (raw === 'on' || raw === 'off') return raw;
  throw new AppError('bad_request', `state: must be on or off, not '${raw}'`);
}

/**
 * Writes one flag's new state, its audit_log row and a `flag` entry on each open incident, in the
 * caller's transaction (the caller has locked the flags and read `previous`); a maintenance
 * window turns maintenance on and off with it together with the window's own change.
 */
export async function recordFlagChange(
  repos: Repos,
  change: { name: FlagName; previous: StoredFlag; write: FlagWrite },
): Promise<StoredFlag> {
  const { name, previous, write } = change;
  const flag = await repos.flags.set(name, write);
  await repos.audit.record({
    actor: write.actor,
    action: 'flag.set',
    target: name,
    reason: write.reason,
    details: {
      from: previous.state,
      to: write.state,
      message: write.message,
      expiresAt: write.expiresAt?.toISOString() ?? null,
    },
  });
  const moves = [{ name, from: previous.state, to: write.state }];
  await recordFlagMoves(repos, { moves, reason: write.reason, actor: write.actor, at: write.setAt });
  return flag;
}

/**
 * Sets one flag and writes its audit_log row, and a `flag` entry on each open incident's
 * timeline, in the same transaction. Concurrent changes are
 * serialised by the row lock: the last one wins and both are audited. Every instance enforces it
 * within 2 s (services/flags/watch-flags.ts).
 */
export async function setFlag({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: SetFlagInput;
}): Promise<FlagChange> {
  const name = flagNamed(input.name);
  const state = stateOf(input.state);
  const reason = requiredReason(input.reason);
  const normal = state === NORMAL_STATE[name];
  const message = normal ? null : optionalMessage(input.message);
  if (name === 'maintenance' && !normal && message === null) {
    throw new AppError('bad_request', 'message: required when turning maintenance on (the banner shows it)');
  }
  if (input.for !== undefined && normal) {
    throw new AppError(
      'bad_request',
      `for: only a mode being turned on expires; ${FLAG_LABELS[name]} ${state} is the normal state`,
    );
  }
  const forMs = input.for === undefined ? null : durationOf(input.for);
  const setAt = ctx.now();
  const expiresAt = forMs === null ? null : new Date(setAt.getTime() + forMs);
  const change = await ctx.transaction(async (repos) => {
    const previous = (await repos.flags.lockAll()).find((f) => f.name === name) ?? normalFlag(name);
    const write = { state, message, reason, actor: input.actor, setAt, expiresAt };
    return { previous, flag: await recordFlagChange(repos, { name, previous, write }) };
  });
  ctx.flags.changed?.();
  const view = effectiveFlags([change.flag], { paymentsEnvOff: !ctx.settings.paymentsEnabled, now: setAt });
  return { ...change, effective: view.byName[name] };
}
