import type { AlertState } from '../../adapters/db/alerts-repo.ts';
import type { Repos } from '../../adapters/db/repos.ts';
import { type AlertVerdict, RULE_INFO } from '../../domain/alert-rules.ts';
import { type Incident, incidentLabel, SEVERITIES, type Severity } from '../../domain/incidents.ts';
import { recordOpenIncident } from '../incidents/open-incident.ts';

/** The actor alert-driven changes are recorded under (timeline and audit_log). */
export const ALERTS_ACTOR = 'alerts';

/** What one evaluation did for one rule. */
export type AlertChange = {
  key: string;
  action: 'opened' | 'repeated' | 'raised' | 'firing' | 'cleared' | 'clearing' | 'resolved' | 'clear';
  incident: string | null;
};

/** The actions that change an incident (the others only update the rule's state). */
export const INCIDENT_ACTIONS: readonly AlertChange['action'][] = [
  'opened',
  'raised',
  'repeated',
  'resolved',
];

const worse = (a: Severity, b: Severity) => SEVERITIES.indexOf(a) < SEVERITIES.indexOf(b);
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/** A verdict to apply: `startedAt` overrides when the problem began (a spooled outage). */
export type VerdictToApply = AlertVerdict & { startedAt?: Date };

/**
 * Applies one rule's verdict inside the caller's transaction, holding the rule's state row: opens
 * its incident (one open per rule_key), notes a repeat or a raised severity in the timeline, and
 * resolves it once the condition has stayed clear for `clearForMs`, saying so.
 */
export async function applyAlertVerdict(
  repos: Repos,
  verdict: VerdictToApply,
  now: Date,
  clearForMs: number,
): Promise<AlertChange> {
  const state = await repos.alerts.lockState(verdict.key, now);
  const open = await repos.incidents.findOpenByRule(verdict.key);
  const save = (s: Partial<AlertState>) =>
    repos.alerts.saveState({ ...state, value: verdict.value, evaluatedAt: now, ...s });
  const entry = (incident: Incident, message: string) =>
    repos.incidents.addEntry(incident.id, { at: now, kind: 'alert', message, actor: ALERTS_ACTOR });

  if (verdict.firing) {
    const firingSince = state.firing && state.firingSince ? state.firingSince : (verdict.startedAt ?? now);
    await save({ firing: true, severity: verdict.severity, firingSince, clearSince: null });
    if (!open) {
      const info = RULE_INFO[verdict.key];
      const incident = await recordOpenIncident(repos, {
        severity: verdict.severity,
        type: info.type,
        title: info.title,
        components: [...info.components],
        commander: null,
        ruleKey: verdict.key,
        openedBy: ALERTS_ACTOR,
        startedAt: firingSince,
        detectedAt: now,
      });
      await entry(
        incident,
        `Alert ${verdict.key} fired: ${verdict.detail} (threshold: ${verdict.threshold})`,
      );
      return { key: verdict.key, action: 'opened', incident: incident.id };
    }
    if (worse(verdict.severity, open.severity)) {
      const raised =
        (await repos.incidents.updateIf(open, { severity: verdict.severity, updated_at: now })) ?? open;
      await entry(
        raised,
        `Alert ${verdict.key} raised ${open.severity} → ${verdict.severity}: ${verdict.detail}`,
      );
      await repos.audit.record({
        actor: ALERTS_ACTOR,
        action: 'incident.severity',
        target: incidentLabel(open.id),
        details: { from: open.severity, to: verdict.severity, rule: verdict.key },
      });
      return { key: verdict.key, action: 'raised', incident: open.id };
    }
    if (!state.firing) {
      await entry(open, `Alert ${verdict.key} fired again: ${verdict.detail}`);
      return { key: verdict.key, action: 'repeated', incident: open.id };
    }
    return { key: verdict.key, action: 'firing', incident: open.id };
  }

  const clearSince = state.firing || !state.clearSince ? now : state.clearSince;
  await save({ firing: false, clearSince });
  if (!open) return { key: verdict.key, action: 'clear', incident: null };
  if (now.getTime() - clearSince.getTime() < clearForMs) {
    return { key: verdict.key, action: state.firing ? 'cleared' : 'clearing', incident: open.id };
  }
  const resolved = await repos.incidents.updateIf(open, {
    status: 'resolved',
    resolved_at: now,
    updated_at: now,
  });
  // Someone changed it meanwhile: the next evaluation tries again.
  if (!resolved) return { key: verdict.key, action: 'clearing', incident: open.id };
  const message = `Auto-resolved by alert ${verdict.key}: clear since ${iso(clearSince)} (${minutes(now.getTime() - clearSince.getTime())}, the policy's clearFor is ${minutes(clearForMs)}); now ${verdict.value}`;
  await repos.incidents.addEntry(open.id, {
    at: now,
    kind: 'resolved',
    status: 'resolved',
    message,
    actor: ALERTS_ACTOR,
  });
  await repos.audit.record({
    actor: ALERTS_ACTOR,
    action: 'incident.resolve',
    target: incidentLabel(open.id),
    details: { from: open.status, message, rule: verdict.key },
  });
  return { key: verdict.key, action: 'resolved', incident: open.id };
}
