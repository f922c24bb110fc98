import { accountOperations } from './account';
import { activityLogOperations } from './activityLog';
import { alertOperations } from './alert';
import { auditOperations } from './audit';
import { componentOperations } from './component';
import { deviceOperations } from './device';
import { filterOperations } from './filter';
import { jobOperations } from './job';
import { siteOperations } from './site';
import { systemOperations } from './system';
import type { OperationSpec, ResourceSpec } from './types';
import { userOperations } from './user';
import { variableOperations } from './variable';

/** Resources in the order users meet them: the card's four first, then the rest of the API. */
const ALL_RESOURCES: ResourceSpec[] = [
	{ value: 'device', name: 'Device', description: 'Managed endpoints: computers, servers, printers, ESXi hosts, network devices' },
	{ value: 'site', name: 'Site', description: 'Customer sites that group devices, with their settings and proxy' },
	{ value: 'alert', name: 'Alert', description: 'Monitoring alerts, open or resolved, for the account, a site or a device' },
	{ value: 'job', name: 'Job', description: 'Quick jobs that run a component on a device, and their results' },
	{ value: 'account', name: 'Account', description: 'The Datto RMM account itself' },
	{ value: 'audit', name: 'Audit', description: 'Hardware and software audits of devices, printers and ESXi hosts' },
	{ value: 'activityLog', name: 'Activity Log', description: 'Who did what and when in the account' },
	{ value: 'filter', name: 'Filter', description: 'Default, custom and site device filters' },
	{ value: 'variable', name: 'Variable', description: 'Account and site variables used by components' },
	{ value: 'user', name: 'User', description: 'Users of the account and API keys' },
	{ value: 'component', name: 'Component', description: 'Components (scripts) available to jobs' },
	{ value: 'system', name: 'System', description: 'API status, rate limit use and page size' },
];

export const OPERATIONS: OperationSpec[] = [
	...deviceOperations,
	...siteOperations,
	...alertOperations,
	...jobOperations,
	...accountOperations,
	...auditOperations,
	...activityLogOperations,
	...filterOperations,
	...variableOperations,
	...userOperations,
	...componentOperations,
	...systemOperations,
];

export const RESOURCES: ResourceSpec[] = ALL_RESOURCES.filter((r) => OPERATIONS.some((op) => op.resource === r.value));

export function findOperation(resource: string, operation: string): OperationSpec | undefined {
	return OPERATIONS.find((op) => op.resource === resource && op.value === operation);
}
