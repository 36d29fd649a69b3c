import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../base/errors.js';
import { linkViews, parseLink, resolveLinks, withoutLink } from './container-links.js';
import { initialState, type ContainerConfig, type ContainerRecord } from './container-record.js';

function record(id: string, name: string, config: Partial<ContainerConfig> = {}): ContainerRecord {
  return {
    id, name, imageId: 'i', createdAt: '', state: initialState(),
    config: { image: 'busybox', options: {}, autoRemove: false, stdinOnce: false, attachStdin: false, attachStdout: true, attachStderr: true, log: { maxSize: -1 }, ...config },
  };
}

const web = record('a'.repeat(64), 'web', { network: { mode: 'bridge', networks: [{ id: 'n', aliases: [] }], ports: [], dns: [], dnsSearch: [], extraHosts: [] } });
const side = record('b'.repeat(64), 'side', { network: { mode: 'container', container: web.id, networks: [], ports: [], dns: [], dnsSearch: [], extraHosts: [] } });
const hosted = record('c'.repeat(64), 'hosted', { options: { networkMode: 'host' } });
const records = [web, side, hosted];
const store = {
  find: (id: string) => records.find((r) => r.id === id),
  resolve: (ref: string) => records.find((r) => r.id === ref || r.name === ref) ?? (() => { throw errors.notFound('no-such-container', `No such container: ${ref}`); })(),
};

test('links parse as moby parses them', () => {
  assert.deepEqual(parseLink('web', 'f'), { name: 'web', alias: 'web' });
  assert.deepEqual(parseLink('web:db', 'f'), { name: 'web', alias: 'db' });
  assert.deepEqual(parseLink('/web:/cli/db', 'f'), { name: 'web', alias: 'db' });
  assert.throws(() => parseLink('', 'HostConfig.Links[0]'), { kind: 'invalid-argument', message: 'HostConfig.Links[0]: empty string specified for links' });
  assert.throws(() => parseLink('a:b:c', 'f'), /f: bad format for links: a:b:c/);
});

test('at create: linked containers must exist, a namespace is followed to its owner, host networking conflicts', () => {
  assert.deepEqual(resolveLinks(store, [{ name: 'web', alias: 'db' }, { name: 'side', alias: 'db' }, { name: 'side', alias: 's' }, { name: 'web', alias: '' }], undefined, undefined), [
    { container: web.id, name: 'web', alias: 'db' }, { container: web.id, name: 'web', alias: 's' },
  ]);
  assert.deepEqual(resolveLinks(store, [{ name: 'web', alias: 'al/x/' }], 'none', undefined), [{ container: web.id, name: 'web', alias: 'al/x' }]);
  assert.deepEqual(resolveLinks(store, [{ name: 'nosuch', alias: 'x' }], undefined, { mode: 'front' }), [], 'dropped on a user network');
  assert.throws(() => resolveLinks(store, [{ name: 'nosuch', alias: 'x' }], undefined, { mode: 'bridge' }), {
    kind: 'invalid-argument', reason: 'no-such-container', message: 'could not get container for nosuch: No such container: nosuch',
  });
  assert.throws(() => resolveLinks(store, [{ name: 'hosted', alias: 'x' }], undefined, undefined), /host type networking can't be used with links/);
  assert.throws(() => resolveLinks(store, [{ name: 'web', alias: 'x' }], 'host', undefined), /host type networking can't be used with links/);
  assert.throws(() => resolveLinks(store, [{ name: 'web', alias: 'x' }], undefined, { mode: 'container:web' }), /container type network can't be used with links/);
  assert.deepEqual(resolveLinks(store, [], 'host', undefined), []);
});

test("inspect shows /child:/parent/alias with the child's current name; rm --link removes one", () => {
  const parent = record('d'.repeat(64), 'cli', { links: [{ container: web.id, name: 'old', alias: 'db' }, { container: 'gone', name: 'ch2', alias: 'c2' }] });
  assert.deepEqual(linkViews(parent, (id) => store.find(id)?.name), ['/web:/cli/db', '/ch2:/cli/c2']);
  assert.equal(linkViews(record('e'.repeat(64), 'x'), () => undefined), null);
  assert.deepEqual(withoutLink(parent, 'db').links, [{ container: 'gone', name: 'ch2', alias: 'c2' }]);
  assert.equal(withoutLink({ ...parent, config: withoutLink(parent, 'db') }, 'c2').links, undefined);
  assert.throws(() => withoutLink(parent, 'nope', 'cli'), { kind: 'not-found', message: 'No such container: cli/nope' });
});
