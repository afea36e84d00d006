import { refuseWrite } from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';
import { getFlags } from './get-flags.ts';

/**
 * Whether a session row may not change now (read-only is on): reading a session must then not
 * refresh it. Servers answer from the flags cache, so asking on every signed-in request is cheap.
 */
export async function sessionWritesHeld({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'flags' | 'settings' | 'now'>;
}): Promise<boolean> {
  const now = ctx.now();
  return refuseWrite(await getFlags({ ctx }), { kind: 'session', admin: false }, now) !== null;
}
