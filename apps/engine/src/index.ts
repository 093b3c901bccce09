export * from './engine.ts';
export * from './plan.ts';
export * from './status.ts';
export * from './workload.ts';
