import { type MaintenanceWindow, windowLabel } from '../../domain/maintenance.ts';
import type { NotificationRequest } from '../../domain/notifications.ts';

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
      startsAt: w.startsAt.toISOString(),
      endsAt: w.endsAt.toISOString(),
      message: w.message,
      components: w.components.length > 0 ? w.components.join(', ') : 'all',
    },
  };
}
