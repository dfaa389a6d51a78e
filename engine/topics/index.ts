/** The topics & configs service: what the composition root and other services may use of it. */
export { TopicsService, type TopicsDeps } from './service';
