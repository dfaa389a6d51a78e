/**
 * Numbered schema migrations for the engine's SQLite files (metadata.db, lessons.db):
 * the file's `user_version` is how many migrations it has had; each missing one runs in
 * its own transaction together with the version bump, so a crash leaves the file at a
 * whole version.
 *
 * Invariant: a file never ends up at a version this build does not know; one from a
 * newer build is refused (`what` names the file in the message) and left untouched.
 */
import type Database from 'better-sqlite3';
import { assert } from './assert';

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings `db` up to `migrations.length`, running each missing migration in order. */
export function migrate(db: Database.Database, migrations: readonly string[], what: string): void {
  const current = schemaVersion(db);
  assert(current <= migrations.length, () => `${what} database is from a newer version (schema ${current}, this build knows ${migrations.length})`);
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
