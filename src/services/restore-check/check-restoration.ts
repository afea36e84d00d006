import {
  backlogItem,
  failureRateItem,
  healthItem,
  incidentsItem,
  modesItem,
  smokeItem,
  verifyItem,
} from './restoration-items.ts';
import type { RestorationContext, RestorationReport, RestoreItem } from './restoration-report.ts';

type Item = (rc: RestorationContext, url: string) => Promise<RestoreItem>;

const ITEMS: { name: string; check: Item }[] = [
  { name: 'health and readiness', check: healthItem },
  { name: 'payments on, no maintenance or read-only', check: modesItem },
  { name: 'webhook backlog drained', check: backlogItem },
  { name: 'payment failure rate (15 min) under 5 %', check: failureRateItem },
  { name: 'db verify clean', check: verifyItem },
  { name: 'smoke run passed within the last hour', check: smokeItem },
  { name: 'no open Critical incident', check: incidentsItem },
];

/**
 * `polaris restore-check`: each item of the runbook's Service Restoration Checklist, checked in
 * order; an item that cannot be read (the database fails mid-way) is ✗ with the reason, not skipped.
 */
export async function checkRestoration({
  ctx,
  input,
}: {
  ctx: RestorationContext;
  input: { url: string };
}): Promise<RestorationReport> {
  const items: RestoreItem[] = [];
  for (const item of ITEMS) {
    try {
      items.push(await item.check(ctx, input.url));
    } catch (error) {
      items.push({
        name: item.name,
        status: 'fail',
        detail: `could not be checked: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'npx polaris db status (is the database reachable?), then run npx polaris restore-check again',
      });
    }
  }
  return { ok: items.every((i) => i.status !== 'fail'), url: input.url, items };
}
