import type { OperationSpec } from './types';

export const activityLogOperations: OperationSpec[] = [];
