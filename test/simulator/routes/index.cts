/** Every route file's table, in one list (57 operations of the spec). */
import type { Route } from '../router.cjs';
import { accountRoutes } from './account.cjs';
import { activityRoutes } from './activity.cjs';
import { alertRoutes } from './alerts.cjs';
import { auditRoutes } from './audit.cjs';
import { deviceRoutes } from './devices.cjs';
import { filterRoutes } from './filters.cjs';
import { jobRoutes } from './jobs.cjs';
import { siteRoutes } from './sites.cjs';
import { systemRoutes } from './system.cjs';
import { userRoutes } from './user.cjs';
import { variableRoutes } from './variables.cjs';

export const allRoutes: Route[] = [
	...systemRoutes,
	...accountRoutes,
	...siteRoutes,
	...variableRoutes,
	...deviceRoutes,
	...auditRoutes,
	...alertRoutes,
	...jobRoutes,
	...filterRoutes,
	...activityRoutes,
	...userRoutes,
];
