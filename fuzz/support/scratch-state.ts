/**
 * A state root (database, content store, leases) on scratch space, shared by the inputs of one
 * fuzzing process and made anew every `renewEvery` inputs so that stored blobs do not pile up.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../src/base/clock.js';
import { StateRoot } from '../../src/base/state-root.js';
import { ContentStore } from '../../src/store/content-store.js';
import { Database } from '../../src/store/database.js';
import { NODE_SCHEMA } from '../../src/daemon/node-schema.js';
import { LeaseManager } from '../../src/store/leases.js';
import { scratchDir } from './tar-input.js';

export interface ScratchState {
  dir: string;
  db: Database;
  content: ContentStore;
  leases: LeaseManager;
}

export class ScratchStates {
  private current: ScratchState | undefined;
  private uses = 0;

  constructor(private readonly renewEvery = 500) {}

  async get(): Promise<ScratchState> {
    if (this.current !== undefined && this.uses++ < this.renewEvery) return this.current;
    if (this.current !== undefined) {
      this.current.db.close();
      await rm(this.current.dir, { recursive: true, force: true });
    }
    const dir = await scratchDir('state');
    const root = new StateRoot(join(dir, 'root'));
    const db = Database.open(root.database, NODE_SCHEMA);
    this.current = { dir, db, content: new ContentStore(root), leases: new LeaseManager(db, systemClock) };
    this.uses = 1;
    return this.current;
  }
}
