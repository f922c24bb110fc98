import type { OperationSpec } from './types';

export const jobOperations: OperationSpec[] = [];
