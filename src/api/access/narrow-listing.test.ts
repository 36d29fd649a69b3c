import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Query } from '../query.js';
import { narrowToLabels } from './narrow-listing.js';

describe('narrowToLabels', () => {
  it('adds the selector as label filters next to what was asked', () => {
    const none: Query = {};
    narrowToLabels(none, { team: 'a' });
    assert.deepEqual(JSON.parse(none.filters as string), { label: ['team=a'] });
    const asked: Query = { filters: JSON.stringify({ status: ['running'], label: { 'env=prod': true } }) };
    narrowToLabels(asked, { team: 'a', tier: 'web' });
    assert.deepEqual(JSON.parse(asked.filters as string), { status: ['running'], label: ['env=prod', 'team=a', 'tier=web'] });
  });

  it('leaves filters that are not a JSON object to the route', () => {
    const bad: Query = { filters: '[1' };
    narrowToLabels(bad, { team: 'a' });
    assert.equal(bad.filters, '[1');
  });
});
