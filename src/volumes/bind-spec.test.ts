import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBindSpec } from './bind-spec.js';

test('-v forms: anonymous, named, bind, with modes', () => {
  assert.deepEqual(parseBindSpec('/data'), { type: 'volume', target: '/data', readOnly: false, noCopy: false });
  assert.deepEqual(parseBindSpec('/data:ro'), { type: 'volume', target: '/data', readOnly: true, noCopy: false });
  assert.deepEqual(parseBindSpec('db:/var/lib/db'), { type: 'volume', source: 'db', target: '/var/lib/db', readOnly: false, noCopy: false });
  assert.deepEqual(parseBindSpec('db:/db:ro,nocopy'), { type: 'volume', source: 'db', target: '/db', readOnly: true, noCopy: true });
  assert.deepEqual(parseBindSpec('/host/dir/:/c/'), { type: 'bind', source: '/host/dir', target: '/c', readOnly: false, propagation: 'rprivate', createHostPath: true });
  assert.deepEqual(parseBindSpec('/h:/c:ro,rshared,Z'), { type: 'bind', source: '/h', target: '/c', readOnly: true, propagation: 'rshared', createHostPath: true });
  assert.deepEqual(parseBindSpec('/h:/c:z,slave'), { type: 'bind', source: '/h', target: '/c', readOnly: false, propagation: 'slave', createHostPath: true });
});

test('-v mistakes are refused by name', () => {
  assert.throws(() => parseBindSpec('rel/path:/c'), /invalid characters for a local volume name/);
  assert.throws(() => parseBindSpec('/h:c'), /mount path must be absolute/);
  assert.throws(() => parseBindSpec('/h:/'), /root cannot be a mount destination/);
  assert.throws(() => parseBindSpec('/h:/c:rx'), /invalid mode "rx"/);
  assert.throws(() => parseBindSpec('/h:/c:ro,rw'), /more than once/);
  assert.throws(() => parseBindSpec('/h:/c:shared,rslave'), /more than one propagation/);
  assert.throws(() => parseBindSpec('v:/c:rshared'), /applies to bind mounts/);
  assert.throws(() => parseBindSpec('/h:/c:nocopy'), /nocopy applies to volumes/);
  assert.throws(() => parseBindSpec('a:/b:ro:x'), /invalid volume specification/);
  assert.throws(() => parseBindSpec('/h:/c/../d'), /no "\.\."/);
});
