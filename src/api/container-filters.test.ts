import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { initialState, ZERO_TIME, type ContainerRecord, type ContainerState } from '../engine/container-record.js';
import { containerFilter, portFilterValues, type ContainerFacts } from './container-filters.js';

function facts(name: string, order: number, labels: Record<string, string>, state: Partial<ContainerState> = {}, extra: Partial<ContainerFacts> = {}): ContainerFacts {
  const record = {
    id: `${name}0000`, name, imageId: 'sha256:img', createdAt: ZERO_TIME,
    config: { image: 'busybox', options: { labels } }, state: { ...initialState(), ...state },
  } as unknown as ContainerRecord;
  return { record, order, labels, health: 'none', networks: [{ name: 'none' }], publishedPorts: new Set(), exposedPorts: new Set(), ...extra };
}

const containers = [
  facts('web-1', 3, { app: 'web', tier: 'front' }, { status: 'running', startedAt: '2026-01-01T00:00:00Z' }, { publishedPorts: new Set(['18080/tcp']), exposedPorts: new Set(['80/tcp']) }),
  facts('web-2', 2, { app: 'web', tier: 'back' }),
  facts('db-1', 1, { app: 'db', tier: 'back' }, { status: 'exited', exitCode: 3, startedAt: '2026-01-01T00:00:00Z' }),
  facts('never', 0, { app: '' }, { status: 'exited', exitCode: 0 }),
];
const lookups = {
  order: (ref: string) => {
    const found = containers.find((c) => c.record.name === ref);
    if (found === undefined) throw new Error(`no ${ref}`);
    return found.order;
  },
  ancestorImages: () => Promise.resolve(new Set<string>()),
};
const pick = async (filters: Record<string, string[]>): Promise<string[]> => {
  const select = await containerFilter(new Map(Object.entries(filters)), lookups);
  return containers.filter(select).map((c) => c.record.name);
};

test('label values are ANDed, other values ORed, keys ANDed', async () => {
  assert.deepEqual(await pick({ label: ['app=web', 'tier=back'] }), ['web-2']);
  assert.deepEqual(await pick({ label: ['app=web', 'app=db'] }), []);
  assert.deepEqual(await pick({ name: ['web-1', 'db'], label: ['tier=back'] }), ['db-1']);
  assert.deepEqual(await pick({ label: ['app='] }), ['never']);
});

test('status, exited (only of containers that ran), before/since, ports', async () => {
  assert.deepEqual(await pick({ status: ['exited', 'running'] }), ['web-1', 'db-1', 'never']);
  assert.deepEqual(await pick({ exited: ['3', '0'] }), ['db-1']);
  // Order 0 is the newest: web-1 was made first, `never` last.
  assert.deepEqual(await pick({ before: ['web-2'] }), ['web-1']);
  assert.deepEqual(await pick({ since: ['web-1'], before: ['db-1'] }), ['web-2']);
  assert.deepEqual(await pick({ publish: ['18080'] }), ['web-1']);
  assert.deepEqual(await pick({ expose: ['1-100/tcp'] }), ['web-1']);
  assert.deepEqual(await pick({ network: ['none'], 'is-task': ['false'], isolation: ['default'] }), ['web-1', 'web-2', 'db-1', 'never']);
});

test('keys and values dockerd refuses, with its messages', async () => {
  const refused = async (filters: Record<string, string[]>, message: string): Promise<void> => {
    await assert.rejects(pick(filters), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message === message);
  };
  await refused({ colour: ['red'] }, "Invalid filter 'colour'");
  await refused({ status: ['sleeping'] }, "Invalid filter 'status=sleeping'");
  await refused({ health: ['fine'] }, 'Unrecognised filter value for health: fine');
  await refused({ 'is-task': ['maybe'] }, "Invalid filter 'is-task=[maybe]'");
  await refused({ exited: ['x'] }, 'strconv.Atoi: parsing "x": invalid syntax');
  assert.throws(() => portFilterValues('publish', '1:2'), /filter for 'publish' should not contain ':': 1:2/);
  assert.deepEqual(portFilterValues('expose', '80-81/UDP'), ['80/udp', '81/udp']);
});
