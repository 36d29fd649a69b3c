/**
 * Secrets and configs as the API reads and changes them (`docker secret|config`), and what the
 * rest of the manager needs of them: a service's references resolved to ids and pinned in its
 * commit (as networks are), the data a node's tasks need, and the data key's rotation. A secret's
 * data is sealed (trust/secret-sealing.ts) under the cluster record's current data key before it
 * reaches the store; a config's is stored plain, as Swarm does. Names are unique per kind (a
 * `<kind>-name` object per name, written in the same commit).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../base/clock.js';
import { errors, isBerthError } from '../../base/errors.js';
import {
  checkFileObjectSize, configSchema, parseFileObjectSpec, secretSchema,
  type Config, type FileObjectKind, type FileReference, type FileObjectSpecInput, type Secret,
} from '../objects/secret.js';
import type { ServiceSpec } from '../objects/service.js';
import { readStoredObject } from '../objects/stored-object.js';
import { isDesiredToRun, isTerminalTaskState, type Task } from '../objects/task.js';
import type { ClusterStore, StoreWrite } from '../store/cluster-store.js';
import { newDataKey, openSealed, sealData, type DataKey } from '../trust/secret-sealing.js';
import type { TaskFileData } from '../agent/agent-ports.js';
import { CLUSTER_RECORD_ID, readClusterRecord, recordValue } from './cluster-record.js';
import type { DataKeyring } from './data-keyring.js';
import { newObjectId } from './ids.js';
import { resolve } from './resolve-ref.js';
import { readServices, storedValue } from './stored-objects.js';

const ATTEMPTS = 10;

type FileObject = Secret | Config;

/** The `<kind>-name` object's id for a name. */
function nameId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export class FileObjectControl {
  constructor(private readonly store: ClusterStore, private readonly clock: Clock, private readonly keyring: DataKeyring) {}

  /** Stores a new secret or config; conflict `<kind>-name-in-use`, invalid-argument for a bad spec or size. */
  async create(kind: FileObjectKind, input: FileObjectSpecInput, data: Buffer): Promise<FileObject> {
    const spec = parseFileObjectSpec(kind, input);
    checkFileObjectSize(kind, spec.name, data);
    const id = newObjectId();
    const now = this.clock.now().toISOString();
    const meta = { id, version: 0, createdAt: now, updatedAt: now, spec };
    const object: FileObject = kind === 'secret'
      ? { ...meta, sealed: sealData(await this.#currentKey(), id, data) }
      : { ...meta, data: data.toString('base64') };
    try {
      const { revision } = await this.store.commit([
        { op: 'put', kind: `${kind}-name`, id: nameId(spec.name), value: { id }, expect: 'absent' },
        { op: 'put', kind, id, value: storedValue(object), expect: 'absent' },
      ]);
      return { ...object, version: revision };
    } catch (err) {
      if (isBerthError(err, 'conflict') && err.details.kind === `${kind}-name`) throw errors.conflict(`${kind}-name-in-use`, `${kind} ${spec.name} already exists`);
      throw err;
    }
  }

  async list(kind: FileObjectKind): Promise<FileObject[]> {
    const schema = kind === 'secret' ? secretSchema : configSchema;
    return (await this.store.list(kind)).items.map((item) => readStoredObject<FileObject>(schema, item));
  }

  /** By id, name or unique id prefix; not-found `<kind>-not-found`. */
  async get(kind: FileObjectKind, ref: string): Promise<FileObject> {
    return resolve(kind, ref, await this.list(kind), (o) => o.spec.name);
  }

  /**
   * Changes the labels (all Swarm allows). invalid-argument `<kind>-immutable` when the name or
   * the data would change; conflict `stale-version` when `version` moved on.
   */
  async updateLabels(kind: FileObjectKind, id: string, version: number, input: FileObjectSpecInput, data: Buffer | undefined): Promise<void> {
    const object = await this.get(kind, id);
    const spec = parseFileObjectSpec(kind, input);
    const immutable = (): Error => errors.invalidArgument(`${kind}-immutable`, `only updates to Labels are allowed (${kind} ${object.spec.name})`);
    if (spec.name !== object.spec.name) throw immutable();
    if (data !== undefined && !data.equals(await this.#data(kind, object))) throw immutable();
    if (object.version !== version) throw errors.conflict('stale-version', `update out of sequence: ${kind} ${object.id} is at version ${object.version}, not ${version}`);
    const updated = { ...object, spec: { ...object.spec, labels: spec.labels }, updatedAt: this.clock.now().toISOString() };
    await this.store.update(kind, object.id, storedValue(updated), version);
  }

  /** Removes one no service uses; invalid-argument `<kind>-in-use` naming the services otherwise. */
  async remove(kind: FileObjectKind, ref: string): Promise<void> {
    const object = await this.get(kind, ref);
    const users = (await readServices(this.store)).filter((s) => referencesOf(s.spec, kind).some((r) => r.id === object.id)).map((s) => s.spec.name);
    if (users.length > 0) {
      throw errors.invalidArgument(`${kind}-in-use`, `${kind} '${object.spec.name}' is in use by the following service${users.length > 1 ? 's' : ''}: ${users.join(', ')}`);
    }
    const name = await this.store.get(`${kind}-name`, nameId(object.spec.name));
    // A service that pinned it since (its commit rewrote the object) makes this fail: nothing half-done.
    await this.store.commit([
      { op: 'delete', kind, id: object.id, expect: object.version },
      ...(name === undefined ? [] : [{ op: 'delete' as const, kind: `${kind}-name` as const, id: name.id, expect: name.version }]),
    ]);
  }

  /**
   * The spec with each secret and config reference named by id (by id, name or id prefix;
   * not-found naming an unknown one; invalid-argument for two files with one target), and the
   * writes that pin the referenced objects in the service's commit.
   */
  async resolveServiceFiles(spec: ServiceSpec): Promise<{ spec: ServiceSpec; writes: StoreWrite[] }> {
    const container = spec.taskTemplate.containerSpec;
    if ((container.secrets ?? []).length === 0 && (container.configs ?? []).length === 0) return { spec, writes: [] };
    const pinned = new Map<string, StoreWrite>();
    const resolveAll = async (kind: FileObjectKind, refs: readonly FileReference[]): Promise<FileReference[]> => {
      if (refs.length === 0) return [];
      const objects = await this.list(kind);
      const targets = new Set<string>();
      return refs.map((ref) => {
        const object = ref.id !== '' ? resolve(kind, ref.id, objects, (o) => o.spec.name) : resolve(kind, ref.name, objects, (o) => o.spec.name);
        if (targets.has(ref.target)) throw errors.invalidArgument('duplicate-file-target', `${kind} references conflict: target ${ref.target} is used twice`);
        targets.add(ref.target);
        pinned.set(`${kind}/${object.id}`, { op: 'put', kind, id: object.id, value: storedValue(object), expect: object.version });
        return { ...ref, id: object.id, name: object.spec.name };
      });
    };
    const secrets = await resolveAll('secret', container.secrets ?? []);
    const configs = await resolveAll('config', container.configs ?? []);
    const containerSpec = { ...container, ...(secrets.length > 0 ? { secrets } : {}), ...(configs.length > 0 ? { configs } : {}) };
    return { spec: { ...spec, taskTemplate: { ...spec.taskTemplate, containerSpec } }, writes: [...pinned.values()] };
  }

  /** The data of every secret and config that `tasks` still to run use; one that is gone is skipped (its task fails to start). */
  async filesFor(tasks: readonly Task[], log: (message: string) => void): Promise<TaskFileData[]> {
    const wanted = new Map<string, { kind: FileObjectKind; id: string }>();
    for (const task of tasks) {
      if (!isDesiredToRun(task) || isTerminalTaskState(task.status.state)) continue;
      for (const kind of ['secret', 'config'] as const) {
        for (const ref of referencesOf({ taskTemplate: task.spec }, kind)) wanted.set(`${kind}/${ref.id}`, { kind, id: ref.id });
      }
    }
    const files: TaskFileData[] = [];
    for (const { kind, id } of wanted.values()) {
      const stored = await this.store.get(kind, id);
      if (stored === undefined) { log(`cluster: ${kind} ${id} of a task is gone`); continue; }
      const object = readStoredObject<FileObject>(kind === 'secret' ? secretSchema : configSchema, stored);
      files.push({ kind, id, data: (await this.#data(kind, object)).toString('base64') });
    }
    return files;
  }

  /**
   * Makes a new data key (kept in this manager's state root first), then seals every secret again
   * under it and makes it the cluster's current key in one revision-compared commit: no secret is
   * ever left under a key the record does not lead to. Older keys stay (values name their key).
   */
  async rotateDataKey(): Promise<{ keyId: string; resealed: number }> {
    const key = newDataKey(this.clock.now());
    await this.keyring.add([key]);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const { record, version } = await readClusterRecord(this.store);
      const secrets = await this.list('secret') as Secret[];
      const writes: StoreWrite[] = [{ op: 'put', kind: 'cluster', id: CLUSTER_RECORD_ID, value: recordValue({ ...record, dataKeyId: key.id, updatedAt: this.clock.now().toISOString() }), expect: version }];
      for (const secret of secrets) {
        const plain = await this.#data('secret', secret);
        const resealed: Secret = { ...secret, sealed: sealData(key, secret.id, plain) };
        writes.push({ op: 'put', kind: 'secret', id: secret.id, value: storedValue(resealed), expect: secret.version });
      }
      try {
        await this.store.commit(writes);
        return { keyId: key.id, resealed: secrets.length };
      } catch (err) {
        if (!isBerthError(err, 'conflict')) throw err;
      }
    }
    throw errors.unavailable('secrets-contended', 'secrets kept changing while the data key was rotated; try again');
  }

  /** The plain data of a secret or config. */
  async #data(kind: FileObjectKind, object: FileObject): Promise<Buffer> {
    if (kind === 'config' || !('sealed' in object)) return Buffer.from('data' in object ? object.data : '', 'base64');
    return openSealed(await this.keyring.get(object.sealed.keyId), object.id, object.sealed);
  }

  /** The key that seals new secrets: the record's, or (a cluster from before data keys) a new one made current. */
  async #currentKey(): Promise<DataKey> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const { record, version } = await readClusterRecord(this.store);
      if (record.dataKeyId !== undefined) return this.keyring.get(record.dataKeyId);
      const key = newDataKey(this.clock.now());
      await this.keyring.add([key]);
      try {
        await this.store.update('cluster', CLUSTER_RECORD_ID, recordValue({ ...record, dataKeyId: key.id }), version);
        return key;
      } catch (err) {
        if (!isBerthError(err, 'conflict')) throw err;
      }
    }
    throw errors.unavailable('cluster-record-contended', 'the cluster record kept changing; try again');
  }
}

/** The references of one kind in a spec's container. */
export function referencesOf(spec: Pick<ServiceSpec, 'taskTemplate'>, kind: FileObjectKind): readonly FileReference[] {
  const container = spec.taskTemplate.containerSpec;
  return (kind === 'secret' ? container.secrets : container.configs) ?? [];
}
