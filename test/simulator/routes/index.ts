/** Every route file's table, in one list (57 operations of the spec). */
import type { Route } from '../router';
import { accountRoutes } from './account';
import { activityRoutes } from './activity';
import { alertRoutes } from './alerts';
import { auditRoutes } from './audit';
import { deviceRoutes } from './devices';
import { filterRoutes } from './filters';
import { jobRoutes } from './jobs';
import { siteRoutes } from './sites';
import { systemRoutes } from './system';
import { userRoutes } from './user';
import { variableRoutes } from './variables';

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
