/** The groups & offsets service: what the composition root and other services may use of it. */
export { GroupsService, type GroupsDeps } from './service';
/** One built-in consumer, for the simulator, which runs it on its own clock and sockets. */
export { BuiltinConsumer, type BuiltinConsumerOptions } from './builtin-consumers';
