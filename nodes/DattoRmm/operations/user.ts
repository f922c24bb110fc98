import type { OperationSpec } from './types';

export const userOperations: OperationSpec[] = [];
