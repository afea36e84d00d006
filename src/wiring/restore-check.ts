import { createHttpProbe } from '../adapters/http-probe.ts';
import type { Config } from '../config.ts';
import type { CliRuntime } from '../interfaces/cli/runtime.ts';
import type { RestorationSeams } from '../services/restore-check/restoration-report.ts';
import { verifyDatabase } from '../services/verify/verify-database.ts';

/** What restore-check takes from other parts: `db verify` itself, and the open Critical incidents. */
export const restorationSeams: RestorationSeams = {
  verifyDatabase: (ctx) => verifyDatabase({ ctx }),
};

/** The restore-check runtime: the instance's URL by default, HTTP probes, and the seams above. */
export function restoreCheckRuntime(config: Config): CliRuntime['restoreCheck'] {
  return { defaultUrl: config.publicBaseUrl, probe: (url) => createHttpProbe(url), seams: restorationSeams };
}
