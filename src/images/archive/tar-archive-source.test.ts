import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import { systemClock } from '../../base/clock.js';
import { isBerthError } from '../../base/errors.js';
import { StateRoot } from '../../base/state-root.js';
import { ContentStore } from '../../store/content-store.js';
import { Database } from '../../store/database.js';
import { LEASE_TABLES } from '../../store/lease-tables.js';
import { LeaseManager } from '../../store/leases.js';
import { LoadSession } from '../load-session.js';
import { TarArchiveSource } from './tar-archive-source.js';

/** A one-file archive whose header's size field is base-256 without its 0x80 lead byte. */
async function archiveWithBadSize(): Promise<Buffer> {
  const pack = tarPack();
  pack.entry({ name: 'oci-layout' }, '{}');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const tar = Buffer.concat(chunks);
  Buffer.from([0xd0, 0xcf, 0xcf, 0xcf, 0xcf, 0xcf, 0xcf, 0xcc, 0x30, 0x33, 0x36, 0x20]).copy(tar, 124);
  tar.fill(0x20, 148, 156);
  tar.write(`${tar.subarray(0, 512).reduce((sum, byte) => sum + byte, 0).toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return tar;
}

test('an archive entry whose size tar-stream cannot read is refused, not waited for forever (fuzz finding)', async () => {
  const root = new StateRoot(await mkdtemp(join(tmpdir(), 'berth-archive-')));
  const db = Database.open(root.database, { tables: [LEASE_TABLES] });
  try {
    const session = new LoadSession(new ContentStore(root), new LeaseManager(db, systemClock));
    await assert.rejects(TarArchiveSource.read(Readable.from([await archiveWithBadSize()]), session), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'invalid-archive');
    await session.close();
  } finally {
    db.close();
    await rm(root.path, { recursive: true, force: true });
  }
});
