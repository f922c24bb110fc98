import type { OperationSpec } from './types';

export const filterOperations: OperationSpec[] = [];
