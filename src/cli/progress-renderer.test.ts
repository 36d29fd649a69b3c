import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageLine, ProgressRenderer, progressBar } from './progress-renderer.js';

function capture(tty: boolean): { renderer: ProgressRenderer; text: () => string } {
  const chunks: string[] = [];
  return { renderer: new ProgressRenderer({ write: (t: string) => chunks.push(t) }, tty), text: () => chunks.join('') };
}

test('the bar fills with the bytes and ends full', () => {
  assert.equal(progressBar(0, 100), `[>${' '.repeat(49)}]       0B/100B`);
  assert.equal(progressBar(50, 100), `[${'='.repeat(25)}>${' '.repeat(24)}]      50B/100B`);
  assert.equal(progressBar(100, 100), `[${'='.repeat(50)}]     100B/100B`);
  assert.equal(progressBar(2048, undefined), '2.05kB');
});

test('a line is "id: status", with the bar only when asked', () => {
  assert.equal(messageLine({ status: 'Pulling fs layer', id: 'abc' }, true), 'abc: Pulling fs layer');
  assert.equal(messageLine({ status: 'Digest: sha256:x' }, true), 'Digest: sha256:x');
  assert.match(messageLine({ status: 'Downloading', id: 'abc', progressDetail: { current: 1, total: 2 } }, true), /^abc: Downloading \[=+>/);
});

test('without a terminal: one plain line per status, byte updates left out', () => {
  const { renderer, text } = capture(false);
  renderer.render({ status: 'Pulling from library/busybox', id: 'latest' });
  renderer.render({ status: 'Pulling fs layer', id: 'aaa' });
  renderer.render({ status: 'Downloading', id: 'aaa', progressDetail: { current: 10, total: 20 } });
  renderer.render({ status: 'Pull complete', id: 'aaa' });
  assert.equal(text(), 'latest: Pulling from library/busybox\naaa: Pulling fs layer\naaa: Pull complete\n');
});

test('on a terminal: a layer line is redrawn in place, other lines append', () => {
  const { renderer, text } = capture(true);
  renderer.render({ status: 'Pulling fs layer', id: 'aaa' });
  renderer.render({ status: 'Pulling fs layer', id: 'bbb' });
  renderer.render({ status: 'Download complete', id: 'aaa' });
  renderer.render({ status: 'Pull complete', id: 'bbb' });
  renderer.render({ status: 'Digest: d' });
  renderer.render({ status: 'Pull complete', id: 'aaa' });
  assert.equal(text(), [
    'aaa: Pulling fs layer\n',
    'bbb: Pulling fs layer\n',
    '\x1b[2A\r\x1b[2Kaaa: Download complete\n\x1b[1B',
    '\x1b[1A\r\x1b[2Kbbb: Pull complete\n',
    'Digest: d\n',
    '\x1b[3A\r\x1b[2Kaaa: Pull complete\n\x1b[2B',
  ].join(''));
});
