import { z } from 'zod';
import { AlertsPolicySchema, DEFAULT_ALERTS } from './alert-rules.ts';
import { DURATION_HINT, parseDuration } from './flags.ts';
import { SEVERITIES } from './incidents.ts';

const duration = z.string().refine((v) => parseDuration(v) !== undefined, {
  error: (issue) => `cannot read '${String(issue.input)}'; ${DURATION_HINT}`,
});
// When a level is paged: when the incident opens, after it has been unresolved this long, or never by time.
const after = z.string().refine((v) => v === 'open' || v === 'never' || parseDuration(v) !== undefined, {
  error: (issue) =>
    `cannot read '${String(issue.input)}'; use open, never, or ${DURATION_HINT.replace(/^use /, '')}`,
});
const perSeverity = z.strictObject({ critical: duration, high: duration, medium: duration, low: duration });

const EscalationStep = z.strictObject({
  level: z.int().min(1).max(10),
  role: z.string().trim().min(1),
  after,
  /** Severities that page this level as soon as the incident opens, whatever `after` says. */
  immediatelyFor: z.array(z.enum(SEVERITIES)).default([]),
});

const RosterEntry = z.strictObject({
  name: z.string().trim().min(1),
  role: z.string().trim().min(1),
  level: z.int().min(1).max(10),
  channels: z
    .strictObject({
      email: z.email().optional(),
      slack: z
        .string()
        .regex(/^#[a-z0-9_-]{1,80}$/, 'must be a channel such as #incidents')
        .optional(),
      phone: z
        .string()
        .regex(/^\+[0-9][0-9 -]{6,19}$/, 'must be an international number such as +91 22 0000 0000')
        .optional(),
    })
    .refine((c) => Object.values(c).some((v) => v !== undefined), 'name at least one of email, slack, phone'),
});

/** The runbook's defaults ("Incident Classification", "Communication Procedures"). */
export const DEFAULT_POLICY = {
  responseTimes: { critical: '15m', high: '1h', medium: '4h', low: '24h' },
  statusUpdateCadence: { critical: '15m', high: '30m', medium: '2h', low: '1d' },
  escalation: [
    { level: 1, role: 'on-call engineer', after: 'open', immediatelyFor: [] },
    { level: 2, role: 'team lead', after: '1h', immediatelyFor: [] },
    { level: 3, role: 'engineering manager', after: '4h', immediatelyFor: [] },
    { level: 4, role: 'CTO / VP Engineering', after: 'never', immediatelyFor: ['critical'] },
  ],
  roster: [],
  alerts: DEFAULT_ALERTS,
} as const;

/** The incident policy file's shape; each top-level key left out keeps its default. */
export const PolicySchema = z
  .strictObject({
    responseTimes: perSeverity.default(DEFAULT_POLICY.responseTimes),
    statusUpdateCadence: perSeverity.default(DEFAULT_POLICY.statusUpdateCadence),
    escalation: z
      .array(EscalationStep)
      .min(1)
      .max(10)
      .default(DEFAULT_POLICY.escalation.map((s) => ({ ...s, immediatelyFor: [...s.immediatelyFor] }))),
    roster: z.array(RosterEntry).max(200).default([]),
    /** The alert rules' thresholds (issue 11 §4). */
    alerts: AlertsPolicySchema.prefault({}),
  })
  .superRefine((policy, ctx) => {
    let previous = 0;
    policy.escalation.forEach((step, i) => {
      if (step.level !== i + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['escalation', i, 'level'],
          message: `must be ${i + 1} (levels count up from 1)`,
        });
      }
      const ms = parseDuration(step.after);
      if (ms === undefined) return;
      if (ms < previous) {
        ctx.addIssue({
          code: 'custom',
          path: ['escalation', i, 'after'],
          message: 'must not be sooner than the level before it',
        });
      }
      previous = ms;
    });
    policy.roster.forEach((entry, i) => {
      if (entry.level > policy.escalation.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['roster', i, 'level'],
          message: `no escalation level ${entry.level} (the ladder has ${policy.escalation.length})`,
        });
      }
    });
  });

/** The validated incident policy. */
export type Policy = z.output<typeof PolicySchema>;

/** The built-in policy (the runbook's defaults), validated like a file would be. */
export function defaultPolicy(): Policy {
  return PolicySchema.parse(DEFAULT_POLICY);
}

/** The incident policy in force and where it came from. */
export type LoadedPolicy = { policy: Policy; source: string };

/** `escalation[1].after` from a zod path. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) =>
      typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key),
    '',
  );
}

/** Validates a parsed policy file; the error names the first bad field (`escalation[1].after: …`). */
export function parsePolicy(value: unknown): { ok: true; policy: Policy } | { ok: false; error: string } {
  const parsed = PolicySchema.safeParse(value);
  if (parsed.success) return { ok: true, policy: parsed.data };
  const issue = parsed.error.issues[0];
  if (!issue) return { ok: false, error: 'invalid policy' };
  if (issue.code === 'unrecognized_keys') {
    const at = fieldOf(issue.path);
    return { ok: false, error: `${at ? `${at}: ` : ''}unknown field ${issue.keys.join(', ')}` };
  }
  const field = fieldOf(issue.path);
  return { ok: false, error: field ? `${field}: ${issue.message}` : issue.message };
}
