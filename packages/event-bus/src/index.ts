export { type InProcessEventBus, type InProcessEventBusOptions, inProcessEventBus } from './adapters/in-process.js';
export { type KafkaEventBusOptions, kafkaEventBus } from './adapters/kafka.js';
export * from './cloudevents.js';
export * from './port.js';
