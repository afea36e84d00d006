import { createHttpProbe } from '../adapters/http-probe.ts';
import type { Config } from '../config.ts';
import { incidentLabel } from '../domain/incidents.ts';
import type { CliRuntime } from '../interfaces/cli/runtime.ts';
import { listIncidents } from '../services/incidents/list-incidents.ts';
import type { RestorationSeams } from '../services/restore-check/restoration-report.ts';
import { verifyDatabase } from '../services/verify/verify-database.ts';

/** What restore-check takes from other parts: `db verify` itself, and the open Critical incidents. */
export const restorationSeams: RestorationSeams = {
  verifyDatabase: (ctx) => verifyDatabase({ ctx }),
  openCriticalIncidents: async (ctx) =>
    (await listIncidents({ ctx, input: { open: true, limit: 1000 } }))
      .filter((incident) => incident.severity === 'critical')
      .map((incident) => ({ id: incidentLabel(incident.id), title: incident.title })),
};

/** The restore-check runtime: the instance's URL by default, HTTP probes, and the seams above. */
export function restoreCheckRuntime(config: Config): CliRuntime['restoreCheck'] {
  return { defaultUrl: config.publicBaseUrl, probe: (url) => createHttpProbe(url), seams: restorationSeams };
}
