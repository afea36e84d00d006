import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createRepos } from '../../adapters/db/repos.ts';
import { secretFingerprint } from '../../adapters/razorpay/signature.ts';
import { getSecretsStatus } from './get-secrets-status.ts';

const CURRENT = 'status-current-secret-01';
const PREVIOUS = 'status-previous-secret-1';
const RETIRED = 'status-retired-secret-01';
const NOW = new Date('2026-11-29T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describeEachBackend('getSecretsStatus', { migrated: true }, (get) => {
  let n = 0;
  const store = (secret: string | null, at: Date) =>
    get()
      .db.insertInto('razorpay_webhook_events')
      .values({
        event_id: `StatusEvent${String(++n).padStart(3, '0')}`,
        event_type: 'payment.captured',
        payload: '{"entity":"event"}',
        processing_status: 'processed',
        secret_fingerprint: secret === null ? null : secretFingerprint(secret),
        created_at: at,
      })
      .execute();
  const status = (secrets: string[], sinceHours = 24) =>
    getSecretsStatus({
      ctx: { repos: createRepos(get().db), signatures: { fingerprint: secretFingerprint }, now: () => NOW },
      input: { secrets, since: hoursAgo(sinceHours) },
    });

  it('counts recent events per configured secret, with the first and last use ever, and the rest apart', async () => {
    await store(PREVIOUS, hoursAgo(72));
    await store(PREVIOUS, hoursAgo(3));
    await store(CURRENT, hoursAgo(2));
    await store(CURRENT, hoursAgo(1));
    await store(CURRENT, hoursAgo(30));
    await store(RETIRED, hoursAgo(5));
    await store(null, hoursAgo(4));

    const s = await status([CURRENT, PREVIOUS]);
    expect(s.secrets).toEqual([
      {
        role: 'current',
        fingerprint: secretFingerprint(CURRENT),
        recentEvents: 2,
        firstUsedAt: hoursAgo(30),
        lastUsedAt: hoursAgo(1),
      },
      {
        role: 'previous',
        fingerprint: secretFingerprint(PREVIOUS),
        recentEvents: 1,
        firstUsedAt: hoursAgo(72),
        lastUsedAt: hoursAgo(3),
      },
    ]);
    expect(s.otherRecentEvents).toBe(2);
    expect(s.rotation).toMatchObject({ stage: 'overlap', droppableAfter: hoursAgo(3 - 24) });
    expect(JSON.stringify(s)).not.toMatch(/status-(current|previous|retired)-secret/);
  });

  it('reads no rotation with the current secret alone, and a droppable one once the previous is 24 h unused', async () => {
    expect((await status([CURRENT])).rotation.stage).toBe('none');
    expect((await status([CURRENT])).secrets).toHaveLength(1);
    // Seen from 27 h later, the previous secret's last event (3 h before NOW) is over a day old.
    const later = await getSecretsStatus({
      ctx: {
        repos: createRepos(get().db),
        signatures: { fingerprint: secretFingerprint },
        now: () => hoursAgo(-24),
      },
      input: { secrets: [CURRENT, PREVIOUS], since: hoursAgo(0) },
    });
    expect(later.rotation.stage).toBe('droppable');
    expect(later.secrets.map((x) => x.recentEvents)).toEqual([0, 0]);
  });
});
