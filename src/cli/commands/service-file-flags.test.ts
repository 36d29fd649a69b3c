import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { serviceFileReference } from './service-file-flags.js';

test('--secret NAME and the long form, as docker reads them', () => {
  assert.deepEqual(serviceFileReference('secret', 'db'), { File: { Name: 'db', UID: '0', GID: '0', Mode: 0o444 }, SecretName: 'db' });
  assert.deepEqual(serviceFileReference('secret', 'source=db,target=password,uid=1000,gid=1001,mode=0400'), { File: { Name: 'password', UID: '1000', GID: '1001', Mode: 0o400 }, SecretName: 'db' });
  assert.deepEqual(serviceFileReference('config', 'src=nginx,target=/etc/nginx/nginx.conf'), { File: { Name: '/etc/nginx/nginx.conf', UID: '0', GID: '0', Mode: 0o444 }, ConfigName: 'nginx' });
});

test('bad values are refused naming the flag', () => {
  for (const value of ['target=x', 'source=db,mode=999', 'source=db,uid=root', 'source=db,colour=red']) {
    assert.throws(() => serviceFileReference('secret', value), (err) => isBerthError(err, 'invalid-argument') && err.message.startsWith(`--secret ${value}`));
  }
});
