import { AppError } from './errors.ts';

/** The kill switches (DESIGN §9): payments, maintenance and read-only. */
export const FLAG_NAMES = ['payments', 'maintenance', 'read_only'] as const;
export type FlagName = (typeof FLAG_NAMES)[number];
export type FlagState = 'on' | 'off';

/** The state each flag has when nothing is wrong; any other state is an active mode. */
export const NORMAL_STATE: Readonly<Record<FlagName, FlagState>> = {
  payments: 'on',
  maintenance: 'off',
  read_only: 'off',
};

/** How people and the CLI spell each flag. */
export const FLAG_LABELS: Readonly<Record<FlagName, string>> = {
  payments: 'payments',
  maintenance: 'maintenance',
  read_only: 'read-only',
};

/** A system_flags row as services see it. */
export type StoredFlag = {
  name: FlagName;
  state: FlagState;
  message: string | null;
  reason: string;
  actor: string;
  setAt: Date;
  expiresAt: Date | null;
};

/** A flag as it acts now: the stored row, expiry applied, the env override of payments applied. */
export type EffectiveFlag = StoredFlag & {
  /** True when the state is not the normal one (payments off, maintenance on, read-only on). */
  active: boolean;
  /** Which source decided the state: the stored row, PAYMENTS_ENABLED=false, or an expiry not yet written back. */
  source: 'stored' | 'env' | 'expired';
  /** The state of the stored row (differs from `state` when the env or an expiry decides). */
  storedState: FlagState;
};

/** Every flag as it acts now. */
export type FlagsView = { flags: EffectiveFlag[]; byName: Record<FlagName, EffectiveFlag> };

/** What a request or a use case wants to change, for the write decision. */
export type WriteKind = 'data' | 'session' | 'flags' | 'exempt';

/** A refusal: the error code, a message for people, and seconds to wait before retrying. */
export type Refusal = {
  code: 'payments_disabled' | 'maintenance' | 'read_only';
  message: string;
  retryAfterSeconds: number;
};

const MAX_DURATION_MS = 30 * 86_400_000;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// Without an expiry a client cannot know when the mode ends: a minute between retries is polite.
const DEFAULT_RETRY_SECONDS = 60;

/** The flag a name means (payments, maintenance, read_only; also read-only and readonly), or undefined. */
export function parseFlagName(raw: string): FlagName | undefined {
  const name = raw.trim().toLowerCase().replace('-', '_');
  if (name === 'readonly') return 'read_only';
  return (FLAG_NAMES as readonly string[]).includes(name) ? (name as FlagName) : undefined;
}

/** Milliseconds of a duration like 90s, 30m, 2h, 1d or 1h30m (at most 30 days), or undefined. */
export function parseDuration(raw: string): number | undefined {
  const text = raw.trim().toLowerCase();
  if (!/^(\d{1,6}[smhd])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhd])/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  }
  return total > 0 && total <= MAX_DURATION_MS ? total : undefined;
}

/** The rule a bad duration breaks, for error messages. */
export const DURATION_HINT = 'use a duration like 90s, 30m, 2h, 1d or 1h30m (at most 30d)';

/** The flag in its normal state, for a database that has no row for it. */
export function normalFlag(name: FlagName): StoredFlag {
  return {
    name,
    state: NORMAL_STATE[name],
    message: null,
    reason: 'initial state',
    actor: 'system',
    setAt: new Date(0),
    expiresAt: null,
  };
}

/** Applies expiry and the env override (PAYMENTS_ENABLED=false) to the stored rows. */
export function effectiveFlags(
  stored: readonly StoredFlag[],
  options: { paymentsEnvOff: boolean; now: Date },
): FlagsView {
  const flags = FLAG_NAMES.map((name): EffectiveFlag => {
    const row = stored.find((f) => f.name === name) ?? normalFlag(name);
    let state = row.state;
    let source: EffectiveFlag['source'] = 'stored';
    if (row.expiresAt && row.expiresAt.getTime() <= options.now.getTime()) {
      state = NORMAL_STATE[name];
      source = 'expired';
    }
    if (name === 'payments' && options.paymentsEnvOff) {
      state = 'off';
      source = 'env';
    }
    return { ...row, state, source, storedState: row.state, active: state !== NORMAL_STATE[name] };
  });
  return { flags, byName: Object.fromEntries(flags.map((f) => [f.name, f])) as FlagsView['byName'] };
}

function retryAfter(flag: EffectiveFlag, now: Date): number {
  if (flag.source !== 'stored' || !flag.expiresAt) return DEFAULT_RETRY_SECONDS;
  return Math.max(1, Math.ceil((flag.expiresAt.getTime() - now.getTime()) / 1000));
}

const withMessage = (text: string, flag: EffectiveFlag) => (flag.message ? `${text}: ${flag.message}` : text);

/** Refuses starting a checkout or changing plan while payments are off. */
export function refusePayments(view: FlagsView, now: Date): Refusal | null {
  const flag = view.byName.payments;
  if (!flag.active) return null;
  const why =
    flag.source === 'env' ? 'payments are switched off (PAYMENTS_ENABLED=false)' : 'payments are paused';
  return {
    code: 'payments_disabled',
    message: `${withMessage(why, flag)}; no checkout or plan change can start, and nothing was charged`,
    retryAfterSeconds: retryAfter(flag, now),
  };
}

/**
 * May this write happen? Read-only refuses every change of user data (sessions included) from
 * anyone; maintenance refuses non-admins' data changes; flag changes and exempt paths always pass.
 */
export function refuseWrite(
  view: FlagsView,
  write: { kind: WriteKind; admin: boolean },
  now: Date,
): Refusal | null {
  const { read_only: readOnly, maintenance } = view.byName;
  if (readOnly.active && (write.kind === 'data' || write.kind === 'session')) {
    return {
      code: 'read_only',
      message: `${withMessage('Polaris is read-only right now', readOnly)}; nothing can be changed, reads keep working`,
      retryAfterSeconds: retryAfter(readOnly, now),
    };
  }
  if (maintenance.active && write.kind === 'data' && !write.admin) {
    return {
      code: 'maintenance',
      message: `${withMessage('Polaris is under maintenance', maintenance)}; changes are paused, reads keep working`,
      retryAfterSeconds: retryAfter(maintenance, now),
    };
  }
  return null;
}

/** The AppError a refusal is thrown as; its details carry the Retry-After seconds. */
export function refusalError(refusal: Refusal): AppError {
  return new AppError(refusal.code, refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
}

function describeFlag(flag: EffectiveFlag): string {
  const label = `${FLAG_LABELS[flag.name]} ${flag.state}`;
  if (flag.source === 'env')
    return `${label} (PAYMENTS_ENABLED=false overrides the stored ${flag.storedState})`;
  if (flag.source === 'expired') return `${label} (expired at ${flag.expiresAt?.toISOString()}, reverting)`;
  const until = flag.active && flag.expiresAt ? `, until ${flag.expiresAt.toISOString()}` : '';
  return `${label} (stored${until})`;
}

/**
 * One line for readiness: the active modes, then each flag with the source that decided it. No
 * actor and no reason: readiness is public, and those are for the audit log.
 */
export function describeFlags(view: FlagsView): string {
  const active = view.flags.filter((f) => f.active).map((f) => FLAG_LABELS[f.name]);
  return `active: ${active.length > 0 ? active.join(', ') : 'none'}; ${view.flags.map(describeFlag).join(', ')}`;
}
