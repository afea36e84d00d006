import type { ServiceContext } from '../../services/context.ts';
import type { RouteModule } from '../http/app.ts';

/** /account: the subscriber's plan, usage, payments and billing actions. */
export function accountPages(_ctx: ServiceContext): RouteModule {
  return (_app) => {
    // Not built yet (issue 12): its pages land here.
  };
}
