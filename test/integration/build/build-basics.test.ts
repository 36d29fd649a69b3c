// Dockerfile builds on the real engine: instructions, substitution, .dockerignore, multi-stage,
// the cache, and a failing step. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildFixture, skipReason } from './build-fixture.js';

describe('dockerfile builds', { skip: skipReason() }, () => {
  let f: BuildFixture;
  before(async () => { f = await BuildFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('RUN, COPY, ENV, WORKDIR, USER, CMD: the image runs with them', async () => {
    const dir = await f.context({
      Dockerfile: [
        'FROM busybox',
        'ENV GREETING="hello world" DIR=/app',
        'WORKDIR ${DIR}',
        'COPY greet.sh ./',
        'RUN chmod +x greet.sh && echo built > /app/built.txt && echo step output',
        'USER nobody',
        'CMD ["/app/greet.sh"]',
      ].join('\n'),
      'greet.sh': '#!/bin/sh\necho "$GREETING from $(pwd) as $(id -u): $(cat built.txt)"\n',
    });
    const result = await f.build(dir, { tags: ['app:1'] });
    assert.ok(result.log.includes('step output'), result.log.join('\n'));
    const run = await f.run('app:1', undefined);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, 'hello world from /app as 65534: built\n');
  });
});
