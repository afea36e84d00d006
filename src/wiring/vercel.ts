import { Hono } from 'hono';
import { loadPolicyFile } from '../adapters/policy-file.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import type { AppEnv } from '../interfaces/http/env.ts';
import { handleError } from '../interfaces/http/errors.ts';
import { buildContext } from './context.ts';
import { composeProductApp } from './http.ts';
import { processLogger } from './logging.ts';
import { currentBuild, recordStart } from './release.ts';

/** A built product app and how to let go of its pool (tests; a Vercel instance just ends). */
type Booted = { app: Hono<AppEnv>; close: () => Promise<void> };

// A serverless instance has no resident process to migrate or to own an embedded database: it
// needs PostgreSQL (DATABASE_URL), migrated beforehand with `polaris db migrate`.
async function boot(env: Record<string, string | undefined> | undefined): Promise<Booted> {
  let config: Config;
  try {
    config = env ? loadConfig(env) : loadConfig();
  } catch (error) {
    if (error instanceof ConfigError)
      throw new AppError('unavailable', `configuration error: ${error.message}`);
    throw error;
  }
  if (config.database.kind !== 'postgres') {
    throw new AppError('unavailable', 'DATABASE_URL must name a PostgreSQL database on a serverless host');
  }
  const log = processLogger(config, config.logLevel, process.stdout);
  // A bad policy file fails the cold start naming the field, as it stops `polaris start`.
  loadPolicyFile(config.policyFile);
  const built = buildContext(config, config.database.url, log);
  try {
    await built.ctx.database.ping();
    const release = await recordStart(built.ctx, currentBuild(config), log);
    const { app } = composeProductApp(built.ctx, {
      log,
      release: () => release,
      cronSecret: config.cronSecret,
      pool: built.pool,
      requestLogRetentionDays: config.requestLogRetentionDays,
    });
    return { app, close: built.close };
  } catch (error) {
    await built.close();
    throw error;
  }
}

/**
 * The app a Vercel function serves (api/index.ts hands it to Hono's Vercel handler). The first
 * request of an instance builds the product app and records the start in `deployments`; until
 * that succeeds each request answers 503 with Retry-After and the next one tries again.
 */
export function createVercelApp(env?: Record<string, string | undefined>) {
  let booting: Promise<Booted> | undefined;
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.all('*', async (c) => {
    booting ??= boot(env).catch((error: unknown) => {
      booting = undefined;
      throw error;
    });
    const { app: product } = await booting;
    return product.fetch(c.req.raw, c.env);
  });
  return {
    app,
    /** Closes the pool of a booted instance. */
    close: async () => {
      const current = booting;
      booting = undefined;
      if (current) await (await current.catch(() => undefined))?.close();
    },
  };
}
