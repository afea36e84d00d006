import type { Repos } from '../../adapters/db/repos.ts';
import { type RotationState, rotationState, type SecretUse } from '../../domain/webhook-rotation.ts';
import type { SignaturesPort } from '../context.ts';

/** The webhook secrets in use, current first (then the previous one during a rotation), and the window. */
export type SecretsStatusInput = { secrets: readonly string[]; since: Date };

/** Which configured secret verified how many recent events, since when, and where a rotation stands. */
export type SecretsStatus = {
  since: Date;
  secrets: SecretUse[];
  /** Events in the window verified by a secret no longer configured, or stored before 0103. */
  otherRecentEvents: number;
  rotation: RotationState;
};

/**
 * Counts the inbox's events per configured webhook secret (by fingerprint, never the secret) and
 * reads the rotation from them: `polaris secrets status`, and config check's rotation line.
 */
export async function getSecretsStatus({
  ctx,
  input,
}: {
  ctx: {
    repos: Pick<Repos, 'webhookSignatures'>;
    signatures: Pick<SignaturesPort, 'fingerprint'>;
    now: () => Date;
  };
  input: SecretsStatusInput;
}): Promise<SecretsStatus> {
  const configured = input.secrets.slice(0, 2).map((secret, i) => ({
    role: i === 0 ? ('current' as const) : ('previous' as const),
    fingerprint: ctx.signatures.fingerprint(secret),
  }));
  const fingerprints = configured.map((c) => c.fingerprint);
  const recent = await ctx.repos.webhookSignatures.recent(input.since);
  const ever = await ctx.repos.webhookSignatures.allTime(fingerprints);
  const secrets: SecretUse[] = configured.map((c) => {
    const all = ever.find((u) => u.fingerprint === c.fingerprint);
    return {
      ...c,
      recentEvents: recent.find((u) => u.fingerprint === c.fingerprint)?.events ?? 0,
      firstUsedAt: all?.firstAt ?? null,
      lastUsedAt: all?.lastAt ?? null,
    };
  });
  const otherRecentEvents = recent
    .filter((u) => u.fingerprint === null || !fingerprints.includes(u.fingerprint))
    .reduce((sum, u) => sum + u.events, 0);
  const [current, previous] = secrets;
  if (!current) throw new Error('getSecretsStatus needs the current webhook secret');
  return {
    since: input.since,
    secrets,
    otherRecentEvents,
    rotation: rotationState(current, previous, ctx.now()),
  };
}
