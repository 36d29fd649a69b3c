import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError } from '../base/errors.js';
import { authorizationOf } from './bearer-token.js';

test('a token becomes the Bearer header, without the white space around it', () => {
  assert.equal(authorizationOf({ value: 'berth_abc-DEF_123', from: 'BERTH_TOKEN' }), 'Bearer berth_abc-DEF_123');
  assert.equal(authorizationOf({ value: '  berth_abc\n', from: 'BERTH_TOKEN' }), 'Bearer berth_abc');
});

test('a token that cannot be sent is refused, naming where it came from and never the token', () => {
  for (const value of ['', '  \n', 'berth_a b', 'berth_a\r\nX-Injected: 1', 'berth_é']) {
    assert.throws(() => authorizationOf({ value, from: '--token' }), (err: unknown) => {
      assert.ok(err instanceof BerthError);
      assert.equal(err.kind, 'invalid-argument');
      assert.match(err.message, /^--token is /);
      if (value.trim() !== '') assert.ok(!err.message.includes(value.trim()), err.message);
      return true;
    });
  }
});
