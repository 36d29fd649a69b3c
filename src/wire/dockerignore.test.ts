import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerIgnore } from './dockerignore.js';
import { cleanPattern, compilePattern } from './dockerignore-patterns.js';
import { isBerthError } from '../base/errors.js';

test('patterns: *, ?, classes, ** and escapes', () => {
  const m = (pattern: string, path: string): boolean => compilePattern(cleanPattern(pattern)).test(path);
  assert.ok(m('*.txt', 'a.txt'));
  assert.ok(!m('*.txt', 'dir/a.txt'));
  assert.ok(m('*/a.txt', 'dir/a.txt'));
  assert.ok(m('**/a.txt', 'a.txt'));
  assert.ok(m('**/a.txt', 'x/y/a.txt'));
  assert.ok(m('x/**', 'x/y/z'));
  assert.ok(m('file?.log', 'file1.log'));
  assert.ok(!m('file?.log', 'file/.log'));
  assert.ok(m('[a-c]at', 'bat'));
  assert.ok(!m('[^a-c]at', 'bat'));
  assert.ok(m('\\*star', '*star'));
  assert.ok(m('/abs/./path/', 'abs/path'));
  assert.throws(() => compilePattern('[abc'), /syntax error/);
});

test('the last matching pattern wins; ! makes exceptions; a matched directory excludes what is below', () => {
  const ignore = DockerIgnore.parse('# comment\n\n*.log\n!important.log\nbuild\n!build/keep\n**/node_modules\n');
  assert.ok(ignore.excludes('debug.log'));
  assert.ok(!ignore.excludes('important.log'));
  assert.ok(!ignore.excludes('sub/debug.log'), '*.log matches at the top only');
  assert.ok(ignore.excludes('build/out/a.o'));
  assert.ok(!ignore.excludes('build/keep'));
  assert.ok(ignore.excludes('a/b/node_modules/x/index.js'));
  assert.ok(!ignore.excludes('src/app.ts'));
  assert.equal(ignore.canSkipDirectory('build'), false, 'an exception reaches into build/');
  assert.equal(DockerIgnore.parse('build\n').canSkipDirectory('build'), true);
});

test('a class RegExp cannot read is a bad pattern, not a SyntaxError', () => {
  for (const pattern of ['[z-a]', 'x/[b-a]*']) {
    assert.throws(() => compilePattern(cleanPattern(pattern)), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'bad-pattern', pattern);
  }
  assert.throws(() => DockerIgnore.parse('ok\n[9-0]\n'), (err: unknown) => isBerthError(err, 'invalid-argument'));
});

test('patterns full of stars match in linear time (as the fuzzer found for reference filters)', () => {
  const m = (pattern: string, path: string): boolean => compilePattern(cleanPattern(pattern)).test(path);
  assert.equal(m(`**/${'*a'.repeat(25)}b`, `x/${'a'.repeat(3000)}`), false);
  assert.equal(m(`${'**'.repeat(20)}c`, `${'ab/'.repeat(1000)}d`), false);
  assert.ok(m('**/*a*b', 'x/y/zaqb'));
});
