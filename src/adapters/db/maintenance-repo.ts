import type { Selectable, Updateable } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { Component } from '../../domain/incidents.ts';
import type { MaintenanceStatus, MaintenanceWindow } from '../../domain/maintenance.ts';
import type { Executor } from './executor.ts';
import type { MaintenanceWindowsTable } from './schema-maintenance.ts';

/** A new window as the schedule service stores it. */
export type NewMaintenanceWindow = {
  startsAt: Date;
  endsAt: Date;
  message: string;
  components: Component[];
  notify: boolean;
  createdBy: string;
  at: Date;
};

const LIVE: MaintenanceStatus[] = ['scheduled', 'in_progress'];

const toWindow = (row: Selectable<MaintenanceWindowsTable>): MaintenanceWindow => ({
  id: String(row.id),
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  message: row.message,
  components: row.components,
  notify: row.notify,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  noticeQueuedAt: row.notice_queued_at,
  reminderQueuedAt: row.reminder_queued_at,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  cancelledBy: row.cancelled_by,
});

const isExclusionViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23P01';

/** Queries for maintenance_windows; writes go inside the transaction of their audit row. */
export function createMaintenanceRepo(db: Executor) {
  return {
    /** Stores a scheduled window; a concurrent overlapping one (the exclusion constraint) is AppError conflict. */
    async insert(window: NewMaintenanceWindow): Promise<MaintenanceWindow> {
      try {
        const row = await db
          .insertInto('maintenance_windows')
          .values({
            starts_at: window.startsAt,
            ends_at: window.endsAt,
            message: window.message,
            components: window.components,
            notify: window.notify,
            created_by: window.createdBy,
            created_at: window.at,
            updated_at: window.at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toWindow(row);
      } catch (error) {
        if (!isExclusionViolation(error)) throw error;
        throw new AppError(
          'conflict',
          'the window overlaps another scheduled window; list them and pick another time',
        );
      }
    },

    /** One window, or undefined. */
    async find(id: string): Promise<MaintenanceWindow | undefined> {
      const row = await db
        .selectFrom('maintenance_windows')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toWindow(row);
    },

    /** The first live (scheduled or in progress) window overlapping [startsAt, endsAt), if any. */
    async findOverlap(startsAt: Date, endsAt: Date): Promise<MaintenanceWindow | undefined> {
      const row = await db
        .selectFrom('maintenance_windows')
        .selectAll()
        .where('status', 'in', LIVE)
        .where('starts_at', '<', endsAt)
        .where('ends_at', '>', startsAt)
        .orderBy('starts_at')
        .executeTakeFirst();
      return row && toWindow(row);
    },

    /** Live windows soonest first, or with `all` every window newest start first. */
    async list(filter: { all: boolean; limit: number }): Promise<MaintenanceWindow[]> {
      let query = db.selectFrom('maintenance_windows').selectAll();
      query = filter.all
        ? query.orderBy('starts_at', 'desc')
        : query.where('status', 'in', LIVE).orderBy('starts_at');
      const rows = await query.orderBy('id').limit(filter.limit).execute();
      return rows.map(toWindow);
    },

    /**
     * Changes a window only while it is still in `from` (and, for a queued time, still unset);
     * undefined means another run or operator got there first.
     */
    async updateIf(
      id: string,
      from: MaintenanceStatus | readonly MaintenanceStatus[],
      changes: Updateable<MaintenanceWindowsTable> & { updated_at: Date },
      unset?: 'notice_queued_at' | 'reminder_queued_at',
    ): Promise<MaintenanceWindow | undefined> {
      let query = db
        .updateTable('maintenance_windows')
        .set(changes)
        .where('id', '=', id)
        .where('status', 'in', typeof from === 'string' ? [from] : [...from]);
      if (unset) query = query.where(unset, 'is', null);
      const row = await query.returningAll().executeTakeFirst();
      return row && toWindow(row);
    },
  };
}

/** The maintenance repository's queries. */
export type MaintenanceRepo = ReturnType<typeof createMaintenanceRepo>;
