/** The cluster & faults service: what the composition root and other services may use of it. */
export { BrokersService, type BrokersDeps } from './service';
export { brokerDataDir, failureView } from './cluster-view';
