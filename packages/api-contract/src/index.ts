export * from './errors.ts';
export * from './resources.ts';
export * from './preview.ts';
export * from './engine-status.ts';
export * from './artifact-copy.ts';
export * from './message-schemas.ts';

/** Header carrying the API token (a `token` query parameter works for WebSockets). */
export const TOKEN_HEADER = 'authorization';
export const API_PREFIX = '/api';
