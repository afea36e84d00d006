import { randomBytes } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import type { SignaturesPort } from '../context.ts';

/** Where development keeps its webhook secrets (the data folder's dev-secrets.json). */
export interface WebhookSecretStore {
  /** Where the secrets are kept, for messages. */
  location: string;
  /** Replaces the stored current and previous webhook secrets together, or throws changing nothing. */
  save(secrets: { current: string; previous: string }): void;
}

/** The running emulator's webhook endpoints (its control routes over HTTP). */
export interface EmulatorWebhooksPort {
  url: string;
  /** Gives every endpoint signing with `from` the secret `to`; answers the ids it changed. */
  rotateSecret(from: string, to: string): Promise<{ updated: string[] }>;
}

/** The webhook secrets as configured now, and where they come from. */
export type RotateWebhookSecretInput = {
  env: 'development' | 'test' | 'production';
  source: 'environment' | 'data folder';
  current: string;
  previous: string | undefined;
};

/** A development rotation done, or the steps an operator takes where Polaris cannot set the env. */
export type WebhookRotation =
  | {
      applied: true;
      endpoints: string[];
      location: string;
      /** Fingerprints: the new current secret, the one kept as previous, and one no longer accepted. */
      current: string;
      previous: string;
      dropped: string | null;
    }
  | { applied: false; reason: string; current: string; previous: string | null; steps: string[] };

/** What a rotation changes: the stored secrets and the emulator's endpoints. */
export type RotateWebhookSecretContext = {
  store: WebhookSecretStore;
  emulator: EmulatorWebhooksPort;
  signatures: Pick<SignaturesPort, 'fingerprint'>;
};

function productionSteps(
  input: RotateWebhookSecretInput,
  fp: RotateWebhookSecretContext['signatures']['fingerprint'],
): string[] {
  const steps = [
    'Generate a new secret: openssl rand -hex 32',
    `On the host (for Vercel: Settings → Environment Variables), set RAZORPAY_WEBHOOK_SECRET_PREVIOUS to the value RAZORPAY_WEBHOOK_SECRET has now (fingerprint ${fp(input.current)}) and RAZORPAY_WEBHOOK_SECRET to the new secret`,
    'Check, then deploy: npx polaris config check --env production; every instance must run with both secrets before Razorpay signs with the new one',
    "In Razorpay's Dashboard (Accounts & Settings → Webhooks → your endpoint → Edit), enter the new secret and save",
    'Watch npx polaris secrets status: new events verify with the current secret; retries of older deliveries may arrive signed with the previous one for up to 24 h',
    'When secrets status says no event has used the previous secret for 24 h, unset RAZORPAY_WEBHOOK_SECRET_PREVIOUS and deploy again',
  ];
  return steps.map((step, i) => `${i + 1}. ${step}`);
}

/**
 * Rotates the webhook secret with an overlap: in development it generates a new secret, moves the
 * emulator's endpoints to it, then stores it with the old one kept as previous (undoing the emulator
 * change if storing fails); where the secret comes from the environment it returns the steps instead.
 */
export async function rotateWebhookSecret({
  ctx,
  input,
}: {
  ctx: RotateWebhookSecretContext;
  input: RotateWebhookSecretInput;
}): Promise<WebhookRotation> {
  const fp = ctx.signatures.fingerprint;
  if (input.env === 'production' || input.source === 'environment') {
    return {
      applied: false,
      reason:
        input.env === 'production'
          ? 'production reads its webhook secrets from the host environment, which Polaris cannot change'
          : 'RAZORPAY_WEBHOOK_SECRET is set in the environment, which Polaris cannot change',
      current: fp(input.current),
      previous: input.previous ? fp(input.previous) : null,
      steps: productionSteps(input, fp),
    };
  }
  const next = `whsec_${randomBytes(24).toString('hex')}`;
  const moved = await ctx.emulator.rotateSecret(input.current, next);
  if (moved.updated.length === 0) {
    throw new AppError(
      'conflict',
      `no webhook endpoint of the emulator at ${ctx.emulator.url} signs with the current secret (fingerprint ${fp(input.current)}); nothing was changed`,
    );
  }
  try {
    ctx.store.save({ current: next, previous: input.current });
  } catch (error) {
    const stored = `cannot store the new secret in ${ctx.store.location} (${messageOf(error)})`;
    const undone = await ctx.emulator.rotateSecret(next, input.current).then(
      () => 'the emulator signs with the current secret again; nothing was changed',
      (undo) => `and the emulator could not be put back (${messageOf(undo)}): restart npm start`,
    );
    throw new AppError('unavailable', `${stored}; ${undone}`);
  }
  return {
    applied: true,
    endpoints: moved.updated,
    location: ctx.store.location,
    current: fp(next),
    previous: fp(input.current),
    dropped: input.previous && input.previous !== input.current ? fp(input.previous) : null,
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
