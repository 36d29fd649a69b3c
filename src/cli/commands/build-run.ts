/** The build, commit and builder prune commands through berthd. */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { errors } from '../../base/errors.js';
import { readJsonMessages } from '../../client/image-client.js';
import { humanSize } from '../format.js';
import { setExitStatus, withClient, type GlobalOptions } from '../context.js';
import { packContext } from './build-context-tar.js';
import type { BuildFlags, CommitFlags } from './build-flags.js';
import { BuildProgressView, streamLine } from './build-progress.js';
import { splitReference } from './image-remote.js';
import { compressionOfFlags, compressionQuery } from './compression-flags.js';

function keyValues(list: readonly string[], option: string, fromEnv: boolean): Record<string, string> {
  const map: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0 && !fromEnv) throw errors.invalidArgument('invalid-option', `${option}: expected KEY=VALUE, got "${item}"`);
    if (eq < 0) {
      const value = process.env[item];
      if (value !== undefined) map[item] = value;
    } else map[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return map;
}

/**
 * `--secret id=NAME,src=FILE` (or `source=`, `type=file`), `id=NAME,env=VAR` (or `type=env`), or
 * `id=NAME` alone: the variable NAME. Read here; sent to the daemon in a header, never in the URL.
 */
async function readSecrets(list: readonly string[]): Promise<Record<string, Buffer>> {
  const secrets: Record<string, Buffer> = {};
  for (const spec of list) {
    const fields = new Map(spec.split(',').map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [part.trim(), ''] : [part.slice(0, eq).trim(), part.slice(eq + 1)];
    }));
    const id = fields.get('id') ?? '';
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(id)) throw errors.invalidArgument('invalid-option', `--secret ${spec}: id= must be 1-128 letters, digits, _ . or -`);
    for (const key of fields.keys()) {
      if (!['id', 'src', 'source', 'env', 'type'].includes(key)) throw errors.invalidArgument('invalid-option', `--secret ${spec}: unknown field "${key}"`);
    }
    const type = fields.get('type');
    const src = fields.get('src') ?? fields.get('source') ?? (type === 'file' ? id : undefined);
    const variable = fields.get('env') ?? (type === 'env' || (src === undefined && type === undefined) ? id : undefined);
    if (src !== undefined) {
      secrets[id] = await readFile(resolve(src)).catch((cause: unknown) => {
        throw errors.notFound('secret-file-not-found', `--secret ${spec}: cannot read ${src}`, { cause });
      });
    } else {
      const value = variable === undefined ? undefined : process.env[variable];
      if (value === undefined) throw errors.invalidArgument('invalid-option', `--secret ${spec}: the environment variable ${variable ?? id} is not set (give src=FILE or env=VAR)`);
      secrets[id] = Buffer.from(value);
    }
  }
  return secrets;
}

/** stdin as the context: a tar (plain or compressed) as it is, anything else as the Dockerfile of an empty context. */
async function stdinContext(): Promise<Readable> {
  const iterator = (process.stdin as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < 512) {
    const next = await iterator.next();
    if (next.done === true) { ended = true; break; }
    head.push(next.value);
    size += next.value.length;
  }
  const first = Buffer.concat(head);
  const compressed = (first[0] === 0x1f && first[1] === 0x8b) || first.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
  const isTar = compressed || (first.length >= 262 && first.subarray(257, 262).toString('latin1') === 'ustar');
  if (!isTar) {
    const rest: Buffer[] = [first];
    if (!ended) for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) rest.push(next.value);
    const { pack } = await import('tar-stream');
    const tar = pack();
    const text = Buffer.concat(rest);
    tar.entry({ name: 'Dockerfile', mode: 0o644, size: text.length }, text);
    tar.finalize();
    return Readable.from(tar, { objectMode: false });
  }
  return Readable.from((async function* () {
    yield first;
    if (ended) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  })(), { objectMode: false });
}

export async function runBuild(globals: GlobalOptions, contextArg: string, flags: BuildFlags): Promise<void> {
  const compression = compressionOfFlags(flags);
  const mode = flags.progress === 'auto' ? (process.stderr.isTTY ? 'tty' : 'plain') : flags.progress;
  if (mode !== 'plain' && mode !== 'tty') throw errors.invalidArgument('invalid-option', `--progress: expected auto, plain or tty, got "${flags.progress}"`);
  let context: Readable;
  let dockerfile: string | undefined;
  if (contextArg === '-') {
    if (process.stdin.isTTY) throw errors.invalidArgument('no-input', 'context "-" reads a tar from stdin, but stdin is a terminal');
    context = await stdinContext();
    dockerfile = flags.file;
  } else {
    const dir = resolve(contextArg);
    let extra: { name: string; content: Buffer } | undefined;
    if (flags.file !== undefined) {
      const path = resolve(flags.file);
      const inside = relative(dir, path);
      if (inside.startsWith('..') || inside === '') {
        extra = { name: `.dockerfile.${randomBytes(8).toString('hex')}`, content: await readFile(path) };
        dockerfile = extra.name;
      } else dockerfile = inside;
    }
    context = await packContext(dir, dockerfile ?? 'Dockerfile', extra);
  }
  const secrets = await readSecrets(flags.secret);
  const view = new BuildProgressView(mode === 'tty' ? process.stderr : undefined, flags.quiet === true);
  await withClient(globals, async (client) => {
    const stream = await client.builds.build(context, {
      tags: flags.tag, buildArgs: keyValues(flags.buildArg, '--build-arg', true), labels: keyValues(flags.label, '--label', false),
      noCache: !flags.cache, quiet: false,
      ...(dockerfile !== undefined && { dockerfile }),
      ...(flags.target !== undefined && { target: flags.target }),
      ...(flags.network !== undefined && { network: flags.network }),
      ...compressionQuery(compression),
      secrets,
    });
    let id: string | undefined;
    for await (const message of readJsonMessages(stream)) {
      const failure = message.error ?? message.errorDetail?.message;
      if (failure !== undefined) {
        view.fail(failure);
        setExitStatus(1);
        return;
      }
      if (message.aux?.ID !== undefined) id = message.aux.ID;
      if (message.stream !== undefined) view.line(streamLine(message.stream));
    }
    view.finish();
    if (id === undefined) throw errors.internal('no-image-id', 'the daemon did not report the built image');
    if (flags.iidfile !== undefined) await writeFile(flags.iidfile, id);
    process.stdout.write(`${id}\n`);
  });
}

export async function runCommit(globals: GlobalOptions, container: string, repository: string | undefined, flags: CommitFlags): Promise<void> {
  const [repo, tag] = repository === undefined ? [undefined, undefined] : splitReference(repository);
  await withClient(globals, async (client) => {
    const id = await client.builds.commit(container, {
      ...(repo !== undefined && { repo }), ...(tag !== undefined && { tag }),
      changes: flags.change, pause: flags.pause !== 'false',
      ...(flags.message !== undefined && { comment: flags.message }),
      ...(flags.author !== undefined && { author: flags.author }),
    });
    process.stdout.write(`${id}\n`);
  });
}

export async function runBuilderPrune(globals: GlobalOptions): Promise<void> {
  await withClient(globals, async (client) => {
    const answer = await client.builds.prune();
    process.stdout.write(`Deleted build cache objects: ${answer.CachesDeleted?.join(', ') ?? 'none'}\nTotal reclaimed space: ${humanSize(answer.SpaceReclaimed)}\n`);
  });
}
