export * from './connection.ts';
export * from './connector.ts';
export * from './mqtt.ts';
export * from './simulator.ts';
export * from './kafka.ts';
export * from './endpoints.ts';
