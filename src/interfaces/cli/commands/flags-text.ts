import { type EffectiveFlag, FLAG_LABELS, type FlagsView } from '../../../domain/flags.ts';
import { incidentLabel } from '../../../domain/incidents.ts';
import type { FlagMove, ShutdownOutcome } from '../../../services/flags/emergency-shutdown.ts';
import type { LiftOutcome } from '../../../services/flags/lift-emergency.ts';
import type { FlagChange } from '../../../services/flags/set-flag.ts';
import { table } from '../table.ts';

const PROPAGATION = 'every server and worker follows within 2 s';
const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
const moveLine = (m: FlagMove) =>
  `  ${FLAG_LABELS[m.name].padEnd(12)} ${m.from === m.to ? `${m.to} (already)` : `${m.from} → ${m.to}`}`;

function stateCell(flag: EffectiveFlag): string {
  if (flag.source === 'env') return `${flag.state} (PAYMENTS_ENABLED=false; stored ${flag.storedState})`;
  if (flag.source === 'expired') return `${flag.state} (expired; stored ${flag.storedState})`;
  return flag.state;
}

/** `polaris flags`: one row per flag with its state, who set it, why, since and until when. */
export function flagsTable(view: FlagsView): string[] {
  const rows = view.flags.map((f) => [
    FLAG_LABELS[f.name],
    stateCell(f),
    f.actor,
    f.reason,
    when(f.setAt),
    f.source === 'stored' ? when(f.expiresAt) : '',
    f.message,
  ]);
  const active = view.flags.filter((f) => f.active).map((f) => FLAG_LABELS[f.name]);
  return [
    table(['flag', 'state', 'set by', 'reason', 'since', 'expires', 'message'], rows),
    `active modes: ${active.length > 0 ? active.join(', ') : 'none'}`,
  ];
}

/** One flag change for people: old and new state, expiry, and whether this environment's PAYMENTS_ENABLED overrides it. */
export function changeLines(change: FlagChange): string[] {
  const { previous, flag, effective } = change;
  const until = flag.expiresAt ? ` until ${when(flag.expiresAt)} (reverts by itself)` : '';
  const lines = [
    `${FLAG_LABELS[flag.name]} ${flag.state} (was ${previous.state})${until}`,
    `  reason: ${flag.reason}`,
    `  by:     ${flag.actor}`,
    ...(flag.message ? [`  message: ${flag.message}`] : []),
  ];
  if (effective.source === 'env') {
    lines.push(
      '  note: PAYMENTS_ENABLED=false is set here; a server started with it keeps payments off whatever the flag says',
    );
  }
  lines.push(`  recorded in audit_log; ${PROPAGATION}`);
  return lines;
}

/** What `polaris emergency shutdown` did, and the critical incident it opened or added to. */
export function shutdownLines(outcome: ShutdownOutcome, actor: string): string[] {
  const { incident } = outcome;
  const label = incidentLabel(incident.id);
  return [
    `emergency shutdown by ${actor}: payments off, maintenance on, read-only on (one transaction, one audit entry)`,
    ...outcome.changes.map(moveLine),
    outcome.incidentOpened
      ? `opened critical incident ${label}: ${incident.title} (polaris incident ack ${incident.id})`
      : `${label} was already open for an emergency shutdown; added to its timeline`,
    `${PROPAGATION}; lift with: polaris emergency lift --reason "…"`,
  ];
}

/** What `polaris emergency lift` reversed, and which open incidents recorded it. */
export function liftLines(outcome: LiftOutcome, actor: string): string[] {
  if (outcome.changes.length === 0) return ['nothing to lift: every flag is in its normal state'];
  const labels = outcome.incidents.map(incidentLabel).join(', ');
  return [
    `emergency lifted by ${actor} (one audit entry per mode):`,
    ...outcome.changes.map(moveLine),
    `${PROPAGATION}; PAYMENTS_ENABLED=false on a server still holds payments off there`,
    ...(labels
      ? [
          `timeline entry added to ${labels}; still open: resolve once service is confirmed (polaris incident resolve <id> --message "…")`,
        ]
      : []),
  ];
}
