import { unlinkSync } from 'node:fs';
import { humanSize } from '../../base/byte-size.js';
import type { Clock } from '../../base/clock.js';
import { errnoCode } from '../../base/errors.js';
import type { ContentStore } from '../../store/content-store.js';
import type { Database } from '../../store/database.js';
import type { LeaseManager } from '../../store/leases.js';

export interface RegistryCollectResult {
  manifestsRemoved: number;
  blobLinksRemoved: number;
  blobsRemoved: number;
  bytesFreed: number;
}

/** One log line's worth of what a collection removed. */
export function describeCollection(result: RegistryCollectResult): string {
  const { manifestsRemoved, blobLinksRemoved, blobsRemoved, bytesFreed } = result;
  return `removed ${manifestsRemoved} manifests, ${blobLinksRemoved} blob links, ${blobsRemoved} blobs (${humanSize(bytesFreed)})`;
}

interface ManifestRow {
  repository: string;
  digest: string;
  subject: string | null;
  pushed_at: string;
  tagged: number;
}

/**
 * Online mark and sweep over the registry, safe while it serves pulls and takes pushes.
 *
 * Live, per repository: tagged manifests; manifests pushed within the grace period (an index's
 * children and referrers are pushed by digest before anything tags them); what a live manifest
 * references (child manifests, config and layers); manifests whose subject is live (signatures,
 * SBOMs); blob links touched within the grace period (pushed, mounted or checked by a client that
 * is about to push a manifest using them). Everything else is unlinked from its repository, and
 * a blob file no repository links any more, and no lease holds (a manifest being pushed), is
 * deleted.
 *
 * Ordering: the mark, the row deletions and the file unlinks run in ONE SQLite write
 * transaction. Every writer records a row or a lease for its file BEFORE it checks whether the
 * file exists or renames it into place, and records its final rows in a transaction that sees
 * the file present, so a writer is either seen by the mark or finds the file gone and writes it. Upload sessions are not content: the collector never touches them.
 */
export class RegistryCollector {
  private running: Promise<RegistryCollectResult> | undefined;

  constructor(
    private readonly db: Database,
    private readonly content: ContentStore,
    private readonly leases: LeaseManager,
    private readonly clock: Clock,
    readonly graceMs: number,
  ) {}

  /** Runs one collection (joins the one in progress, if any). */
  collect(): Promise<RegistryCollectResult> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<RegistryCollectResult> {
    this.leases.expire();
    const onDisk = await this.content.list();
    const cutoff = new Date(this.clock.now().getTime() - this.graceMs).toISOString();
    return this.db.transaction(() => {
      const sql = this.db.sqlite;
      const manifests = sql
        .prepare(
          `SELECT m.repository, m.digest, m.subject, m.pushed_at,
             EXISTS (SELECT 1 FROM tags t WHERE t.repository = m.repository AND t.digest = m.digest) AS tagged
           FROM manifests m`,
        )
        .all() as ManifestRow[];
      const references = sql.prepare('SELECT repository, manifest, child, kind FROM manifest_references').all() as { repository: string; manifest: string; child: string; kind: string }[];
      const key = (repository: string, digest: string): string => `${repository}\0${digest}`;
      const children = new Map<string, { child: string; kind: string }[]>();
      for (const ref of references) {
        const list = children.get(key(ref.repository, ref.manifest)) ?? [];
        list.push(ref);
        children.set(key(ref.repository, ref.manifest), list);
      }
      const liveManifests = new Set<string>();
      const liveBlobs = new Set<string>();
      const queue: string[] = [];
      const markManifest = (k: string): void => {
        if (liveManifests.has(k)) return;
        liveManifests.add(k);
        queue.push(k);
      };
      for (const m of manifests) if (m.tagged === 1 || m.pushed_at > cutoff) markManifest(key(m.repository, m.digest));
      const bySubject = new Map<string, string[]>();
      for (const m of manifests) {
        if (m.subject === null) continue;
        const list = bySubject.get(key(m.repository, m.subject)) ?? [];
        list.push(key(m.repository, m.digest));
        bySubject.set(key(m.repository, m.subject), list);
      }
      for (let k = queue.pop(); k !== undefined; k = queue.pop()) {
        const repository = k.slice(0, k.indexOf('\0'));
        for (const ref of children.get(k) ?? []) {
          if (ref.kind === 'manifest') markManifest(key(repository, ref.child));
          else liveBlobs.add(key(repository, ref.child));
        }
        for (const referrer of bySubject.get(k) ?? []) markManifest(referrer);
      }

      let manifestsRemoved = 0;
      const deleteManifest = sql.prepare('DELETE FROM manifests WHERE repository = ? AND digest = ?');
      for (const m of manifests) {
        if (liveManifests.has(key(m.repository, m.digest))) continue;
        manifestsRemoved += deleteManifest.run(m.repository, m.digest).changes;
      }
      let blobLinksRemoved = 0;
      const links = sql.prepare('SELECT repository, digest, touched_at FROM repository_blobs').all() as { repository: string; digest: string; touched_at: string }[];
      const deleteLink = sql.prepare('DELETE FROM repository_blobs WHERE repository = ? AND digest = ?');
      for (const link of links) {
        if (link.touched_at > cutoff || liveBlobs.has(key(link.repository, link.digest))) continue;
        blobLinksRemoved += deleteLink.run(link.repository, link.digest).changes;
      }

      const referenced = new Set<string>(this.leases.active().blobs);
      for (const row of sql.prepare('SELECT digest FROM repository_blobs UNION SELECT digest FROM manifests').all() as { digest: string }[]) referenced.add(row.digest);
      let blobsRemoved = 0;
      let bytesFreed = 0;
      for (const blob of onDisk) {
        if (referenced.has(blob.digest)) continue;
        const path = this.content.path(blob.digest);
        try {
          unlinkSync(path);
          blobsRemoved++;
          bytesFreed += blob.size;
        } catch (err) {
          if (errnoCode(err) !== 'ENOENT') throw err;
        }
      }
      return { manifestsRemoved, blobLinksRemoved, blobsRemoved, bytesFreed };
    });
  }
}
