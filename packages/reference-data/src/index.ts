export * from './as-of.js';
export * from './central-organizations.js';
export * from './communes.js';
export * from './press-agencies.js';
export * from './provinces.js';

/**
 * Changes whenever a fact in this package changes, so that a seeded directory can tell which
 * version of the official facts it was built from.
 */
export const referenceDataVersion = '2025.07.01-2';
