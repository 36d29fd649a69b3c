import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchedImagesOf } from './daemon-hooks.js';

test('the images in use are those of every existing container, whatever its state', () => {
  assert.deepEqual(watchedImagesOf([
    { id: 'c1', imageId: 'sha256:a' },
    { id: 'c2', imageId: 'sha256:b' },
    { id: 'c3', imageId: 'sha256:a' },
  ]), [{ imageId: 'sha256:a', containerIds: ['c1', 'c3'] }, { imageId: 'sha256:b', containerIds: ['c2'] }]);
  assert.deepEqual(watchedImagesOf([]), []);
});
