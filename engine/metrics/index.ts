/** The metrics & history service: what the composition root and other services may use of it. */
export { MetricsService, type MetricsDeps } from './service';
export { cleanerRunView } from './storage-events';
