import type { OperationSpec } from './types';

export const auditOperations: OperationSpec[] = [];
