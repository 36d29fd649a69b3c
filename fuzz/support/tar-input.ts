/**
 * Helpers for targets that read tars: fuzzed bytes get valid header checksums (else nearly every
 * mutation dies at the checksum and the header fields behind it are never reached), scratch
 * directories on a RAM disk when there is one, and a process runner that does in-process what
 * the layer writer asks of mknod and setfattr.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors, messageOf } from '../../src/base/errors.js';
import type { ProcessRunner, RunOptions, RunResult } from '../../src/base/process-runner.js';
import { formatXattrDump, parseXattrDump } from '../../src/snapshots/xattr-dump.js';
import { check } from './refusal.js';

const BLOCK = 512;
const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(data: Buffer, magic: readonly number[]): boolean {
  return magic.every((byte, i) => data[i] === byte);
}

/** The size field of a header: octal text, or base-256 when its first byte has the high bit. */
function headerSize(field: Buffer): number {
  const first = field[0] ?? 0;
  if ((first & 0x80) !== 0) {
    let size = first & 0x7f;
    for (const byte of field.subarray(1)) size = size * 256 + byte;
    return size;
  }
  const text = /^[ 0]*([0-7]*)/.exec(field.toString('latin1'))?.[1] ?? '';
  return text === '' ? 0 : parseInt(text, 8);
}

/**
 * A copy of `data` whose header blocks carry correct checksums, walking headers by their size
 * fields. Compressed input (gzip, zstd magic) is left as it is.
 */
export function withTarChecksums(data: Buffer): Buffer {
  if (startsWith(data, GZIP) || startsWith(data, ZSTD)) return data;
  const out = Buffer.from(data);
  let at = 0;
  while (at + BLOCK <= out.length) {
    const block = out.subarray(at, at + BLOCK);
    if (block.every((byte) => byte === 0)) {
      at += BLOCK;
      continue;
    }
    block.fill(0x20, 148, 156);
    const sum = block.reduce((total, byte) => total + byte, 0);
    block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const size = headerSize(block.subarray(124, 136));
    if (!Number.isSafeInteger(size) || size > out.length) break;
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

const SCRATCH_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** A fresh scratch directory for one input. */
export function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(join(SCRATCH_ROOT, `berth-fuzz-${prefix}-`));
}

/**
 * mknod makes an empty file where the node would be (devices need no kernel here); setfattr
 * checks that the dump the writer made reads back to the same text (nothing is set). Failures
 * are reported as ChildProcessRunner reports a failed command.
 */
export class InProcessRunner implements ProcessRunner {
  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    if (command === 'mknod') {
      try {
        await writeFile(args[0] ?? '', '', { flag: 'wx' });
      } catch (err) {
        throw errors.internal('command-failed', `mknod: ${messageOf(err)}`, { cause: err });
      }
    } else if (command === 'setfattr') {
      const dump = typeof options.input === 'string' ? options.input : Buffer.from(options.input ?? []).toString('utf8');
      const again = formatXattrDump([...parseXattrDump(dump)]);
      check(again === dump, `xattr dump does not read back:\n${dump}\n---\n${again}`);
    } else {
      throw new Error(`unexpected command ${command}`);
    }
    return { code: 0, stdout: '', stderr: '' };
  }
}
