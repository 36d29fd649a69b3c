import { test } from 'node:test';
import assert from 'node:assert/strict';
import { descendsFrom, layerIndexOfHistory } from './image-lineage.js';
import type { ImageConfig } from './schemas.js';

const L1 = `sha256:${'1'.repeat(64)}`;
const L2 = `sha256:${'2'.repeat(64)}`;
const image = (layers: string[], history: { created_by: string; empty_layer?: boolean }[]): ImageConfig =>
  ({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers as ImageConfig['rootfs']['diff_ids'] }, history });

test('an image descends from one whose layers and history begin its own', () => {
  const base = image([L1], [{ created_by: 'base' }]);
  const child = image([L1, L2], [{ created_by: 'base' }, { created_by: 'COPY' }, { created_by: 'CMD', empty_layer: true }]);
  assert.equal(descendsFrom(child, base), true);
  assert.equal(descendsFrom(base, child), false);
  assert.equal(descendsFrom(base, base), false, 'not from itself');
  assert.equal(descendsFrom(child, image([L2], [{ created_by: 'base' }])), false);
  assert.equal(descendsFrom(child, image([L1], [{ created_by: 'other' }])), false);
  assert.equal(descendsFrom(child, image([], [])), true, 'scratch is every image\'s parent');
});

test('the layer a history entry made', () => {
  const history = [{ created_by: 'a' }, { created_by: 'ENV', empty_layer: true }, { created_by: 'b' }];
  assert.equal(layerIndexOfHistory(history, 0), 0);
  assert.equal(layerIndexOfHistory(history, 1), undefined);
  assert.equal(layerIndexOfHistory(history, 2), 1);
});
