import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualTime } from '../../../test/support/manual-time.js';
import { DetectionThrottle } from './detection-throttle.js';

describe('DetectionThrottle', () => {
  it('lets a burst through, then the rate, per container and rule', async () => {
    const clock = new ManualTime();
    const throttle = new DetectionThrottle(clock, { burst: 3, perSecond: 1 });
    assert.deepEqual([1, 2, 3, 4].map(() => throttle.admit('a', 'r')), [true, true, true, false]);
    assert.equal(throttle.admit('a', 'other'), true, 'another rule has its own bucket');
    assert.equal(throttle.admit('b', 'r'), true, 'another container too');
    await clock.advance(1000);
    assert.deepEqual([throttle.admit('a', 'r'), throttle.admit('a', 'r')], [true, false]);
    throttle.forget('a');
    assert.equal(throttle.admit('a', 'r'), true, 'a forgotten container starts with a full bucket');
  });
});
