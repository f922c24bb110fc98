import type { OperationSpec } from './types';

export const alertOperations: OperationSpec[] = [];
