export * from './engine.ts';
export * from './plan.ts';
export * from './status.ts';
export * from './workload.ts';
export * from './lease.ts';
export * from './operator.ts';
export * from './profile-deployments.ts';
