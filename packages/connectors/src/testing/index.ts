export * from './mosquitto.ts';
export * from './ports.ts';
