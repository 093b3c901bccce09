export * from './connector.ts';
export * from './mqtt.ts';
export * from './simulator.ts';
