import { base62Id } from './ids.ts';
import type { EventRecord, State } from './state.ts';

/**
 * Builds Razorpay's event envelope around snapshots of the entities and serialises it once, so
 * every endpoint, retry and duplicate receives the same bytes.
 */
export function createEvent(
  state: State,
  now: number,
  event: string,
  entities: Record<string, object>,
  contains: string[] = Object.keys(entities),
): EventRecord {
  const payload: Record<string, { entity: unknown }> = {};
  for (const [name, entity] of Object.entries(entities)) payload[name] = { entity: structuredClone(entity) };
  const envelope = {
    entity: 'event',
    account_id: state.accountId,
    event,
    contains,
    payload,
    created_at: now,
  };
  const ids = Object.values(entities).map((e) => String((e as { id?: unknown }).id ?? ''));
  const record: EventRecord = {
    id: base62Id(),
    event,
    created_at: now,
    body: JSON.stringify(envelope),
    entity_ids: ids,
  };
  state.events.set(record.id, record);
  return record;
}
