export * from './connector.ts';
export * from './mqtt.ts';
