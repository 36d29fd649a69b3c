import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './parse-dockerfile.js';

test('instructions with lines, flags, continuations (comments inside dropped) and directives', () => {
  const df = parseDockerfile('# syntax=docker/dockerfile:1\nFROM --platform=linux/amd64 busybox AS a\nRUN echo a \\\n# inside\n  b\nCOPY --from=a --chown=1:2 /x /y\nhealthcheck --interval=5s CMD true\n', 'app.Dockerfile');
  assert.equal(df.syntax, 'docker/dockerfile:1');
  assert.deepEqual(df.instructions.map((i) => [i.keyword, i.line, i.endLine, i.flags, i.args]), [
    ['FROM', 2, 2, [['platform', 'linux/amd64']], 'busybox AS a'],
    ['RUN', 3, 5, [], 'echo a   b'],
    ['COPY', 6, 6, [['from', 'a'], ['chown', '1:2']], '/x /y'],
    ['HEALTHCHECK', 7, 7, [['interval', '5s']], 'CMD true'],
  ]);
});

test('escape directive and heredocs (<<-, quoted delimiters)', () => {
  const df = parseDockerfile('# escape=`\nFROM busybox\nRUN echo `\n  x\nRUN <<-EOF sh\n\techo one\n\tEOF\nCOPY <<"A" <<B /d/\n$keep\nA\nbody b\nB\n');
  assert.equal(df.escape, '`');
  assert.equal(df.instructions[1]?.args, 'echo   x');
  assert.deepEqual(df.instructions[2]?.heredocs, [{ name: 'EOF', content: 'echo one\n', expand: true }]);
  assert.deepEqual(df.instructions[3]?.heredocs, [{ name: 'A', content: '$keep\n', expand: false }, { name: 'B', content: 'body b\n', expand: true }]);
});

test('errors name the file and line', () => {
  assert.throws(() => parseDockerfile('FROM a\nBOGUS x\n', 'ctx/Dockerfile'), /^BerthError: ctx\/Dockerfile:2: unknown instruction: BOGUS$/);
  assert.throws(() => parseDockerfile('FROM a\nRUN <<EOF\nnever closed\n'), /Dockerfile:2: unterminated heredoc <<EOF/);
});

test('a parser directive named like an Object property is no syntax directive (fuzz finding)', () => {
  // `# constructor=x` made dockerfile-ast's getDirective() return Object's constructor: a TypeError.
  for (const name of ['constructor', 'toString', '__proto__']) {
    const df = parseDockerfile(`#${name} escape=\`\nFROM busybox\n`);
    assert.equal(df.syntax, undefined);
    assert.deepEqual(df.instructions.map((i) => i.keyword), ['FROM']);
  }
});
