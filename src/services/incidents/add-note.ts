import { parseNoteTag, taggedNote } from '../../domain/incident-notes.ts';
import { incidentLabel, requiredText, type TimelineEntry } from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';
import { incidentOrNotFound } from './incident-lookup.ts';

/**
 * `polaris incident note`: a private timeline entry (findings, root cause, follow-ups), with an
 * audit_log row. Allowed after resolution too: the report is written from them, by the tag a
 * note starts with (`root-cause: …`, or `tag` given apart; domain/incident-notes.ts).
 */
export async function addIncidentNote({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string; message?: string | undefined; tag?: string | undefined; actor: string };
}): Promise<TimelineEntry> {
  const text = requiredText('message', input.message);
  const message =
    input.tag === undefined ? text : requiredText('message', taggedNote(parseNoteTag(input.tag), text));
  const at = ctx.now();
  return ctx.transaction(async (repos) => {
    const incident = await incidentOrNotFound(repos, input.id);
    const entry = await repos.incidents.addEntry(incident.id, {
      at,
      kind: 'note',
      message,
      actor: input.actor,
    });
    await repos.audit.record({
      actor: input.actor,
      action: 'incident.note',
      target: incidentLabel(incident.id),
      details: { entry: entry.id },
    });
    return entry;
  });
}
