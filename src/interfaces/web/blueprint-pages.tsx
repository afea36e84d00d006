import type { ServiceContext } from '../../services/context.ts';
import type { RouteModule } from '../http/app.ts';

/** /blueprints: list, create, open and delete blueprints within the quota. */
export function blueprintPages(_ctx: ServiceContext): RouteModule {
  return (_app) => {
    // Not built yet (issue 12): its pages land here.
  };
}
