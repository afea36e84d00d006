import { type MaintenanceWindow, spanText, windowLabel } from '../../domain/maintenance.ts';
import type { NotificationRequest } from '../../domain/notifications.ts';

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/**
 * The notice or reminder of a window to status subscribers, with the figures of the runbook's
 * "Maintenance Notification" (date, times in UTC, duration); its key makes it exactly-once.
 */
export function maintenanceNotification(
  w: MaintenanceWindow,
  step: 'notice' | 'reminder',
): NotificationRequest {
  const template = step === 'notice' ? 'maintenance-notice' : 'maintenance-reminder';
  return {
    key: `${template}:${w.id}`,
    template,
    audience: { kind: 'status-subscribers' },
    vars: {
      window: windowLabel(w.id),
      starts_at: w.startsAt.toISOString(),
      ends_at: w.endsAt.toISOString(),
      date: w.startsAt.toISOString().slice(0, 10),
      start_time: hhmm(w.startsAt),
      end_time: hhmm(w.endsAt),
      duration: spanText(w.endsAt.getTime() - w.startsAt.getTime()),
      message: w.message,
      components: w.components.length > 0 ? w.components.join(', ') : 'all',
    },
  };
}
