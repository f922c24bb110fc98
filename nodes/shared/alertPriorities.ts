/** Datto RMM's alert priorities, highest first (both triggers filter on them). */
export const PRIORITIES = ['Critical', 'High', 'Moderate', 'Low', 'Information'];
