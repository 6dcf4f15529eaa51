import type { SchedulerView } from '../scheduler-view.js';
import type { Route } from '../route.js';
import { cosmosRoutes, type PackageService } from './cosmos.js';
import { debugRoutes } from './debug.js';
import { planRoutes } from './plans.js';
import { podRoutes } from './pods.js';
import { serviceRoutes } from './service.js';
import { taskHealthRoutes } from './task-health.js';

export function routes(s: SchedulerView, cosmos?: PackageService): Route[] {
  return [...planRoutes(s), ...podRoutes(s), ...serviceRoutes(s), ...taskHealthRoutes(s), ...debugRoutes(s), ...cosmosRoutes(s, cosmos)];
}
