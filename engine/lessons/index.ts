/** The lessons service: what the composition root may use of it. */
export { LessonsService, type LessonsDeps } from './service';
export { LessonProgressStore } from './progress-store';
