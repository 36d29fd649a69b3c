/**
 * A node's TLS material as files, for programs that read them from disk (etcd): `node.crt`,
 * `node.key` (mode 0600) and `ca.crt` in one directory (mode 0700), each written atomically so
 * a crash leaves the old file or the new one. Rewriting them (a renewed certificate) is safe
 * while a reader runs; the reader sees the new files when it next opens them.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../base/atomic-file.js';
import type { NodeTlsMaterial } from './tls-options.js';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/** The file names in `dir`, whether written yet or not. */
export function tlsFilesIn(dir: string): TlsFiles {
  return { certFile: join(dir, 'node.crt'), keyFile: join(dir, 'node.key'), caFile: join(dir, 'ca.crt') };
}

/** Writes the material into `dir` (created if missing) and returns where. */
export async function writeTlsFiles(dir: string, material: NodeTlsMaterial): Promise<TlsFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const files = tlsFilesIn(dir);
  await writeFileAtomic(files.keyFile, material.keyPem, 0o600);
  await writeFileAtomic(files.certFile, material.certPem, 0o644);
  await writeFileAtomic(files.caFile, material.caCertPem, 0o644);
  return files;
}
