export * from './store.ts';
export * from './file-store.ts';
export * from './kube-store.ts';
export * from './schema-store.ts';
export * from './kube-schema-store.ts';
