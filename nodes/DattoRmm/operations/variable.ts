import type { OperationSpec } from './types';

export const variableOperations: OperationSpec[] = [];
