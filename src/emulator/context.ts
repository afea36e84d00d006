import type { EmulatorClock } from './clock.ts';
import type { EventRecord, State } from './state.ts';
import type { Notes } from './types.ts';

/** Settings fixed when the emulator starts. */
export type EmulatorConfig = {
  keyId: string;
  keySecret: string;
  /** Send `subscription.authenticated` for future-start subscriptions (the docs disagree). */
  authenticatedEvent: boolean;
  /** Refuse plan and quantity updates for card and UPI subscriptions, as Razorpay does since 2024. */
  restrictUpdates: boolean;
};

/** Everything an emulator operation needs: state, time, settings and the event sink. */
export type Ctx = {
  state: State;
  clock: EmulatorClock;
  config: EmulatorConfig;
  /** Records a webhook event whose payload holds a snapshot of each entity, and queues deliveries. */
  emit(event: string, entities: Record<string, object>, contains?: string[]): EventRecord;
  /** Marks state as changed so persistence can save it. */
  changed(): void;
};

/** Notes as stored and returned: Razorpay serialises empty notes as `[]`. */
export function toNotes(notes: Record<string, string | number> | undefined): Notes {
  return notes && Object.keys(notes).length > 0 ? { ...notes } : [];
}
