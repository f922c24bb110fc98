import type { OperationSpec } from './types';

export const componentOperations: OperationSpec[] = [];
