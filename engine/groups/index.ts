/** The groups & offsets service: what the composition root and other services may use of it. */
export { GroupsService, type GroupsDeps } from './service';
