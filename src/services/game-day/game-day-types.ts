import type { HttpProbe } from '../../adapters/http-probe.ts';
import type { IncidentReport } from '../../domain/incident-report.ts';
import type { NotificationRequest, Notify } from '../../domain/notifications.ts';
import type { ServiceContext } from '../context.ts';
import type { RestorationSeams } from '../restore-check/restoration-report.ts';
import type { SmokeContext } from '../smoke/smoke-report.ts';

/** Alert evaluation (issue 11 §4, services/alerts): opens or updates incidents from what the database shows. */
export type EvaluateAlerts = (args: { ctx: ServiceContext }) => Promise<unknown>;

/** Escalations and cadence reminders (issue 11 §3, services/escalation): pages by the ladder through `notify`. */
export type RunEscalations = (args: { ctx: ServiceContext; input: { notify: Notify } }) => Promise<unknown>;

/** The parts other engineers build; each absent one is a failing "not wired" step, never a pass. */
export type GameDaySeams = {
  evaluateAlerts?: EvaluateAlerts;
  runEscalations?: RunEscalations;
};

/**
 * The scratch world a game day runs in (src/wiring/game-day.ts): an in-process Razorpay emulator
 * on a frozen clock delivering signed webhooks to the scratch instance served on loopback.
 */
export type GameDayLab = {
  /** Makes the next `count` charge attempts of a Razorpay subscription fail. */
  failNextCharges(subscriptionId: string, count: number): void;
  /** Moves the fake clock ahead, running every charge and retry that falls due. */
  advanceClock(seconds: number): void;
  /** Pays a new Razorpay subscription's first charge as Checkout would. */
  completeCheckout(subscriptionId: string): Promise<void>;
  /** Resolves when the emulator has delivered every webhook it owes. */
  deliveriesSettled(): Promise<void>;
  /** The scratch instance: its URL, HTTP to it, and the clocks a smoke run is timed with. */
  url: string;
  probe: HttpProbe;
  smoke: SmokeContext;
  restorationSeams: RestorationSeams;
};

/** How one step of the drill went. */
export type GameDayStep = {
  n: number;
  name: string;
  status: 'pass' | 'fail';
  detail: string;
  /** Set when the step failed because another part is not wired into this build yet. */
  notWired?: string;
  ms: number;
};

/** The drill's outcome: each step, the notifications it would have sent, and the report. */
export type GameDayOutcome = {
  ok: boolean;
  steps: GameDayStep[];
  incidentId: string | null;
  notifications: NotificationRequest[];
  report: IncidentReport | null;
  startedAt: Date;
  fakeClock: { from: Date; to: Date };
};
