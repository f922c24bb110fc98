import { accountOperations } from './account';
import { deviceOperations } from './device';
import type { OperationSpec, ResourceSpec } from './types';

/** Resources in the order users meet them: the card's four first, then the rest of the API. */
export const RESOURCES: ResourceSpec[] = [
	{ value: 'device', name: 'Device', description: 'Managed endpoints: computers, servers, printers, ESXi hosts, network devices' },
	{ value: 'account', name: 'Account', description: 'The Datto RMM account itself' },
];

export const OPERATIONS: OperationSpec[] = [...deviceOperations, ...accountOperations];

export function findOperation(resource: string, operation: string): OperationSpec | undefined {
	return OPERATIONS.find((op) => op.resource === resource && op.value === operation);
}
