export * from './mosquitto.ts';
export * from './ports.ts';
export * from './kafka.ts';
