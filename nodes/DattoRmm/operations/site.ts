import type { OperationSpec } from './types';

export const siteOperations: OperationSpec[] = [];
