export * from './docker-registry.ts';
export * from './facade.ts';
export * from './oras.ts';
export * from './endless-registry.ts';
