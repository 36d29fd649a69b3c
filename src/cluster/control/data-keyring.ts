/**
 * A manager's data keys: the keys that seal secrets at rest, kept in its state root
 * (`<root>/cluster/data-keys.json`, 0600, atomic rewrites) and never in the store. Which key
 * seals new values is the cluster record's `dataKeyId`; every sealed value names its key. A key
 * this manager lacks (made on another manager by a rotation, or not given at a promotion) is
 * asked of the other managers over the cluster port (`fetch`), then kept here.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../base/atomic-file.js';
import { errnoCode, errors, messageOf } from '../../base/errors.js';
import type { DataKey } from '../trust/secret-sealing.js';
import { dataKeySchema } from '../transport/protocol-schemas.js';

const fileSchema = z.object({ keys: z.array(dataKeySchema) });

/** Reads the keys in `file`; none when it does not exist. data-loss (`data-keys-corrupt`) for a damaged file. */
export async function readDataKeys(file: string): Promise<DataKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  try {
    return fileSchema.parse(JSON.parse(text)).keys;
  } catch (err) {
    throw errors.dataLoss('data-keys-corrupt', `${file}: not a list of data keys (${messageOf(err)})`, { cause: err });
  }
}

export async function writeDataKeys(file: string, keys: readonly DataKey[]): Promise<void> {
  await writeFileAtomic(file, JSON.stringify({ keys }, null, 2), 0o600);
}

export interface DataKeyringOptions {
  readonly file: string;
  /** The other managers' keys (transport/data-key-client.ts); throws when none answers. */
  readonly fetch: () => Promise<readonly DataKey[]>;
}

/** The keys of one manager. Changes are written one at a time; the file is rewritten whole. */
export class DataKeyring {
  #keys: DataKey[] | undefined;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DataKeyringOptions) {}

  async keys(): Promise<readonly DataKey[]> {
    this.#keys ??= await readDataKeys(this.options.file);
    return this.#keys;
  }

  /**
   * The key with this id: from the file, else from the other managers (then kept).
   * failed-precondition `data-key-unknown` when no manager has it.
   */
  async get(id: string): Promise<DataKey> {
    const local = (await this.keys()).find((key) => key.id === id);
    if (local !== undefined) return local;
    let fetched: readonly DataKey[];
    try {
      fetched = await this.options.fetch();
    } catch (err) {
      throw errors.failedPrecondition('data-key-unknown', `this manager lacks data key ${id} and could not get it from the other managers: ${messageOf(err)}`, { cause: err });
    }
    await this.add(fetched);
    const found = fetched.find((key) => key.id === id);
    if (found === undefined) throw errors.failedPrecondition('data-key-unknown', `no manager holds data key ${id}`);
    return found;
  }

  /** Keeps keys (those with a known id are left as they are). The file is written before this resolves. */
  add(keys: readonly DataKey[]): Promise<void> {
    // Writes run one after another; a failed one went to its own caller and does not stop the next.
    const write = this.#writes.catch(() => undefined).then(async () => {
      const current = [...(await this.keys())];
      const fresh = keys.filter((key) => !current.some((k) => k.id === key.id));
      if (fresh.length === 0) return;
      const next = [...current, ...fresh];
      await writeDataKeys(this.options.file, next);
      this.#keys = next;
    });
    this.#writes = write;
    return write;
  }
}
