import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findAptMirror } from './apt-mirror.js';

const deb822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`;

const oneLine = `# main archive
deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://ftp.example.org/debian/ trixie main contrib
deb-src http://src.example.org/debian bookworm main
deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main
`;

test('deb822: picks the stanza that lists the suite', () => {
  const files = [{ path: '/etc/apt/sources.list.d/debian.sources', text: deb822 }];
  assert.equal(findAptMirror(files, 'bookworm'), 'http://deb.debian.org/debian');
  assert.equal(findAptMirror(files, 'bookworm-security'), 'http://deb.debian.org/debian-security');
});

test('deb822: falls back to the first Debian archive for an unknown suite', () => {
  const files = [{ path: 'x.sources', text: deb822 }];
  assert.equal(findAptMirror(files, 'trixie'), 'http://deb.debian.org/debian');
});

test('deb822: skips disabled stanzas, deb-src and joins continuation lines', () => {
  const text = `Types: deb-src
URIs: http://src.example.org/debian
Suites: bookworm

Types: deb
Enabled: no
URIs: http://off.example.org/debian
Suites: bookworm

Types: deb
URIs: http://a.example.org/debian
 http://b.example.org/debian
Suites: bookworm
`;
  assert.equal(findAptMirror([{ path: 'y.sources', text }], 'bookworm'), 'http://a.example.org/debian');
});

test('one-line format: options, trailing slash, deb-src ignored', () => {
  const files = [{ path: '/etc/apt/sources.list', text: oneLine }];
  assert.equal(findAptMirror(files, 'trixie'), 'http://ftp.example.org/debian');
  assert.equal(findAptMirror(files, 'bookworm'), 'http://ftp.example.org/debian');
});

test('mixed files and nothing usable', () => {
  const cloud = { path: 'google.list', text: 'deb https://packages.cloud.google.com/apt cloud-sdk main\n' };
  assert.equal(findAptMirror([cloud], 'bookworm'), undefined);
  assert.equal(findAptMirror([cloud, { path: 'd.sources', text: deb822 }], 'bookworm'), 'http://deb.debian.org/debian');
  assert.equal(findAptMirror([], 'bookworm'), undefined);
});
