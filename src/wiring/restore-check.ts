import { createHttpProbe } from '../adapters/http-probe.ts';
import type { Config } from '../config.ts';
import type { CliRuntime } from '../interfaces/cli/runtime.ts';
import type { RestorationSeams } from '../services/restore-check/restoration-report.ts';

/**
 * What restore-check takes from other parts. The lead wires them here: `verifyDatabase` from
 * src/services/verify/verify-database.ts, `openCriticalIncidents` from issue 11's incidents part.
 */
export const restorationSeams: RestorationSeams = {};

/** The restore-check runtime: the instance's URL by default, HTTP probes, and the seams above. */
export function restoreCheckRuntime(config: Config): CliRuntime['restoreCheck'] {
  return { defaultUrl: config.publicBaseUrl, probe: (url) => createHttpProbe(url), seams: restorationSeams };
}
