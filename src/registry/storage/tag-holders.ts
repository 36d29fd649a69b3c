/**
 * Which tags of a repository hold a manifest or blob: the tags that point to it, or to a manifest
 * that references it (an index's entries, a manifest's config and layers, transitively). A write
 * that would move or break them asks its guard first, inside its transaction, so a refusal changes
 * nothing.
 */
import type { Database } from '../../store/database.js';

/** A tag and the manifest it points to. */
export interface TagRow {
  tag: string;
  digest: string;
}

/** Checks a write inside its transaction; throws to refuse it (everything rolls back). */
export interface WriteGuard {
  /** Before `tag` is pointed at `next`; it points at `current` (undefined: it does not exist yet). */
  retag?(tag: string, current: string | undefined, next: string): void;
  /** Before a delete removes `holders` (a deleted tag) or leaves them pointing at something incomplete. */
  remove?(holders: readonly TagRow[]): void;
}

/** The tags of `repository` that hold `digest`, directly or through the manifests that reference it. */
export function tagsHolding(db: Database, repository: string, digest: string): TagRow[] {
  return db.sqlite
    .prepare(
      `WITH RECURSIVE holders(digest) AS (
         SELECT ?
         UNION
         SELECT r.manifest FROM manifest_references r JOIN holders h ON r.child = h.digest WHERE r.repository = ?
       )
       SELECT t.name AS tag, t.digest AS digest FROM tags t JOIN holders h ON t.digest = h.digest WHERE t.repository = ? ORDER BY t.name`,
    )
    .all(digest, repository, repository) as TagRow[];
}

/** The digest `tag` points to in `repository`, or undefined. */
export function tagTarget(db: Database, repository: string, tag: string): string | undefined {
  const row = db.sqlite.prepare('SELECT digest FROM tags WHERE repository = ? AND name = ?').get(repository, tag) as { digest: string } | undefined;
  return row?.digest;
}
