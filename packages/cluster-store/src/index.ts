export * from './store.ts';
export * from './file-store.ts';
export * from './kube-store.ts';
