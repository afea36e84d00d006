import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import {
  deliveryRows,
  notifyingContext,
  resetNotifications,
} from '../../../../test/support/notifications.ts';
import { startSmtpServer } from '../../../../test/support/notify-receivers.ts';
import { enqueueNotification } from '../../../services/notifications/enqueue-notification.ts';

describeEachBackend('polaris notifications …', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let n: ReturnType<typeof notifyingContext>;
  const cli = (...args: string[]) => runCliWith(n.ctx, args);
  beforeAll(async () => {
    t = await createTestContext(get());
    smtp = await startSmtpServer({ reject: ['gone@ops.test'] });
    n = notifyingContext(t.ctx, { smtpUrl: smtp.url });
  });
  afterAll(async () => {
    n?.close();
    await smtp?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await resetNotifications(get().db);
    smtp.mails.length = 0;
  });
  const queue = (key: string, address: string) =>
    enqueueNotification({
      ctx: n.ctx,
      input: { key, template: 'status-subscribe-confirm', audience: { kind: 'email', address }, vars: {} },
    });

  it('delivers, lists by status, and retries a failed delivery once with an audit row', async () => {
    await queue('a', 'lead@ops.test');
    await queue('b', 'gone@ops.test');
    const delivered = await cli('notifications', 'deliver');
    expect([delivered.code, delivered.stdout]).toEqual([
      0,
      'public updates announced: 0 (0 deliveries queued)\npayment incidents with affected users: 0 (0 deliveries queued)\ndelivered: 1 sent, 0 to retry, 1 failed, 0 now uncertain\n',
    ]);
    const failed = await cli('notifications', 'list', '--status', 'failed');
    expect(failed.code).toBe(0);
    expect(failed.stdout).toMatch(/│ failed │ email +│ gone@ops\.test │ b +│ 1 +│ +│ SMTP: 550 /);
    expect(failed.stdout).not.toContain('lead@ops.test');
    const listed = JSON.parse((await cli('notifications', 'list', '--json')).stdout) as {
      notifications: { id: string; status: string }[];
    };
    expect(listed.notifications.map((d) => d.status)).toEqual(['failed', 'sent']);

    const id = listed.notifications[0]!.id;
    const retried = await cli('notifications', 'retry', id);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(
      `notification ${id} (email to gone@ops.test) was failed; queued again, due now`,
    );
    expect((await cli('notifications', 'retry', id)).stderr).toContain(
      `notification ${id} is pending; only failed or uncertain ones are retried`,
    );
    const audit = await get()
      .db.selectFrom('audit_log')
      .select(['action', 'target'])
      .where('action', '=', 'notification.retry')
      .execute();
    expect(audit).toEqual([{ action: 'notification.retry', target: `notification:${id}` }]);
  });

  it('an uncertain delivery is resent only with --yes', async () => {
    await queue('u', 'lead@ops.test');
    const [claimed] = await n.ctx.repos.notifications.claimDue(n.ctx.now(), 1);
    n.advance(6 * 60_000);
    expect((await cli('notifications', 'deliver')).stdout).toContain(
      '0 sent, 0 to retry, 0 failed, 1 now uncertain',
    );
    const refused = await cli('notifications', 'retry', claimed!.id);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('may have gone out already; confirm to send it again');
    expect((await deliveryRows(get().db))[0]!.status).toBe('uncertain');
    expect((await cli('notifications', 'retry', claimed!.id, '--yes')).code).toBe(0);
    expect((await cli('notifications', 'deliver')).stdout).toContain('1 sent');
    expect(smtp.mails).toHaveLength(1);
  });

  it('refuses bad input with a clear error and exit 2', async () => {
    for (const [args, message] of [
      [
        ['list', '--status', 'lost'],
        "status: 'lost' is not one of pending, sending, sent, failed, uncertain",
      ],
      [['list', '--limit', 'many'], "limit: 'many' is not a whole number from 1 to 500"],
      [['list', '--limit', '0'], "limit: '0' is not a whole number from 1 to 500"],
      [['retry', 'abc'], "id: 'abc' is not a notification id (a number such as 12)"],
    ] as const) {
      const r = await cli('notifications', ...args);
      expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(message)]);
    }
    const missing = await cli('notifications', 'retry', '999999');
    expect(missing.stderr).toContain('no notification 999999');
    expect(missing.code).not.toBe(0);
  });
});
