/**
 * Command names of the lessons part of the contract: the lesson catalogue, starting
 * and leaving a lesson, answering a step's prediction, hints, resets. Kept free of zod
 * so the Electron preload can bundle it cheaply.
 */
export const LESSONS_COMMAND_NAMES = ['listLessons', 'startLesson', 'answerPrediction', 'showHint', 'leaveLesson', 'resetLesson', 'dismissLearn'] as const;
