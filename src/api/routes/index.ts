import type { SchedulerView } from '../scheduler-view.js';
import type { Route } from '../route.js';
import { cosmosRoutes, type PackageService } from './cosmos.js';
import { debugRoutes } from './debug.js';
import { planRoutes } from './plans.js';
import { podRoutes } from './pods.js';
import { serviceRoutes } from './service.js';

export function routes(s: SchedulerView, cosmos?: PackageService): Route[] {
  return [...planRoutes(s), ...podRoutes(s), ...serviceRoutes(s), ...debugRoutes(s), ...cosmosRoutes(s, cosmos)];
}
