/**
 * Lesson progress on disk: SQLite (better-sqlite3) in `<data dir>/lessons.db`, apart
 * from the cluster's metadata (a lesson reset never touches the cluster's own store).
 *
 * Schema changes are numbered migrations, applied in order, each in one transaction;
 * `PRAGMA user_version` records the last one applied. Tables:
 *   step_done(lesson_id, step_id, done_ms, prediction_choice)  a step the learner completed
 *   setting(key, value)                                         app-level lesson settings
 *
 * Invariants: a step is completed at most once (primary key); a database from a newer
 * build (more migrations than this one knows) is refused rather than guessed at.
 */
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../util/sqlite-migrations';

const MIGRATIONS: string[] = [
  // 1: the first schema.
  `CREATE TABLE step_done (
     lesson_id TEXT NOT NULL,
     step_id TEXT NOT NULL,
     done_ms INTEGER NOT NULL,
     prediction_choice INTEGER,
     PRIMARY KEY (lesson_id, step_id)
   );
   CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];

export interface StepDone {
  stepId: string;
  doneMs: number;
  predictionChoice: number | null;
}

export class LessonProgressStore {
  private readonly db: Database.Database;

  constructor(options: { path: string; nativeBinding?: string }) {
    this.db = new Database(options.path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    migrate(this.db, MIGRATIONS, 'lessons');
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  stepsDone(lessonId: string): StepDone[] {
    const rows = this.db.prepare('SELECT step_id, done_ms, prediction_choice FROM step_done WHERE lesson_id = ? ORDER BY done_ms').all(lessonId) as { step_id: string; done_ms: number; prediction_choice: number | null }[];
    return rows.map((r) => ({ stepId: r.step_id, doneMs: r.done_ms, predictionChoice: r.prediction_choice }));
  }

  /** Completed steps per lesson id. */
  counts(): Map<string, number> {
    const rows = this.db.prepare('SELECT lesson_id, COUNT(*) AS n FROM step_done GROUP BY lesson_id').all() as { lesson_id: string; n: number }[];
    return new Map(rows.map((r) => [r.lesson_id, r.n]));
  }

  markDone(lessonId: string, stepId: string, doneMs: number, predictionChoice: number | null): void {
    this.db.prepare('INSERT OR IGNORE INTO step_done (lesson_id, step_id, done_ms, prediction_choice) VALUES (?, ?, ?, ?)').run(lessonId, stepId, doneMs, predictionChoice);
  }

  resetLesson(lessonId: string): void {
    this.db.prepare('DELETE FROM step_done WHERE lesson_id = ?').run(lessonId);
  }

  setting(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM setting WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  close(): void {
    this.db.close();
  }
}
