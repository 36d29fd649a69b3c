/**
 * COPY and ADD: files from the build context (or, with `--from`, from an earlier stage's or any
 * image's root filesystem) into a new layer on the stage's image. The cache key has the content
 * of exactly the files copied (after .dockerignore), or the source image's id for `--from`.
 * ADD also unpacks a local tar (plain, gzip or zstd) into the destination; ADD of a URL is refused
 * (builds run offline; download into the context and COPY instead).
 */
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { createReadStream } from 'node:fs';
import { errors } from '../../base/errors.js';
import { ownerTag } from '../../base/process-alive.js';
import { resolveInRoot } from '../../mount/path-in-root.js';
import { readFileInRoot } from '../../mount/read-file-in-root.js';
import { openLayerStream, sniffCompression } from '../../snapshots/decompress.js';
import { unpackLayer } from '../../snapshots/layer-unpacker.js';
import { checkFlags, dockerfileError, flagValue, type Instruction } from '../dockerfile/parse-dockerfile.js';
import { expandWord, expandWords, parseExecForm } from '../dockerfile/shell-words.js';
import { stateLookup, type StageState } from '../stage-state.js';
import { copyInto, ensureDirectory, type CopyOwnership } from './copy-files.js';
import { resolveOwner } from './chown.js';
import { TempLayer } from './temp-layer.js';
import type { StepEnv, StepPlan } from './step-types.js';

interface Source {
  /** As written (for messages), or the heredoc name. */
  label: string;
  kind: 'context' | 'image' | 'inline';
  /** Context-relative path, path in the source image, or the inline content. */
  value: string;
}

async function isTarArchive(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    const bytes = head.subarray(0, bytesRead);
    if (sniffCompression(bytes) !== 'none') return true;
    return bytesRead >= 262 && bytes.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await handle.close();
  }
}

export async function planCopy(env: StepEnv, state: StageState, instruction: Instruction, stageIndex: number): Promise<StepPlan> {
  const isAdd = instruction.keyword === 'ADD';
  checkFlags(env.file, instruction, isAdd ? ['chown', 'chmod', 'link', 'checksum', 'keep-git-dir'] : ['from', 'chown', 'chmod', 'link']);
  const lookup = stateLookup(state);
  const fail = (message: string): never => dockerfileError(env.file, instruction.line, `${instruction.keyword}: ${message}`);
  const words = parseExecForm(instruction.args)?.map((w) => expandWord(w, lookup, env.escape)) ?? expandWords(instruction.args, lookup, env.escape);
  if (words.length < 2) fail('requires at least two arguments: a source and a destination');
  const destWord = words[words.length - 1] ?? '';
  const workdir = state.config.WorkingDir ?? '/';
  const dest = posix.resolve(workdir, destWord);
  const destIsDir = destWord.endsWith('/') || destWord === '.' || words.length > 2;
  const from = flagValue(instruction, 'from');
  const chown = flagValue(instruction, 'chown');
  const chmodText = flagValue(instruction, 'chmod');
  let mode: number | undefined;
  if (chmodText !== undefined) {
    if (!/^[0-7]{3,4}$/.test(chmodText)) fail(`--chmod: invalid mode "${chmodText}" (octal digits expected)`);
    mode = parseInt(chmodText, 8);
  }
  const sourceImage = from === undefined ? undefined : await env.sourceImage(expandWord(from, lookup, env.escape), stageIndex);
  if (from !== undefined && sourceImage === undefined) fail(`--from: no stage or image named "${from}"`);

  const sources: Source[] = [];
  const heredocs = new Map(instruction.heredocs.map((h) => [h.name, h]));
  for (const word of words.slice(0, -1)) {
    const marker = /^<<-?(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1$/.exec(word);
    const doc = marker ? heredocs.get(marker[2] ?? '') : undefined;
    if (doc !== undefined) {
      sources.push({ label: doc.name, kind: 'inline', value: doc.expand ? expandWord(doc.content, lookup, env.escape) : doc.content });
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word)) {
      if (isAdd) throw errors.invalidArgument('add-url-unsupported', `${env.file}:${instruction.line}: ADD ${word}: sources from URLs are not supported (berth builds offline); download the file into the build context and COPY it`);
      fail(`source can't be a URL: ${word}`);
    } else if (sourceImage !== undefined) {
      sources.push({ label: word, kind: 'image', value: posix.resolve('/', word) });
    } else {
      for (const path of await env.context.resolveSource(word).catch((err: unknown) => {
        throw errors.notFound('copy-source-not-found', `${env.file}:${instruction.line}: ${instruction.keyword} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      })) sources.push({ label: word, kind: 'context', value: path });
    }
  }
  if (sources.length > 1 && !destWord.endsWith('/')) fail('When using COPY with more than one source file, the destination must be a directory and end with a /');

  const inputs: string[] = [];
  for (const source of sources) {
    if (source.kind === 'context') {
      inputs.push(`${source.value}:${await env.context.hash(source.value, (rel, isDir) => env.context.visible(posix.join(source.value, rel), isDir))}`);
    } else {
      inputs.push(`${source.kind}:${source.value}:${source.kind === 'inline' ? source.value : ''}`);
    }
  }
  if (sourceImage !== undefined) inputs.push(`from:${sourceImage.id}`);
  const flagsText = [chown !== undefined ? `--chown=${chown} ` : '', chmodText !== undefined ? `--chmod=${chmodText} ` : '', from !== undefined ? `--from=${from} ` : ''].join('');
  // As Docker's history: what is copied by the digest of its content (`file:…`, `dir:…`, `multi:…`),
  // so that the text alone says what the step made (which --cache-from relies on).
  const only = sources.length === 1 ? sources[0] : undefined;
  const kind = only === undefined ? 'multi' : only.kind === 'context' && (await env.context.isDirectory(only.value)) ? 'dir' : 'file';
  const contentDigest = createHash('sha256').update(inputs.join('\n')).digest('hex');
  const createdBy = `/bin/sh -c #(nop) ${instruction.keyword} ${flagsText}${kind}:${contentDigest} in ${dest} `;

  return {
    createdBy,
    inputs,
    config: state.config,
    historyIdentifies: true,
    execute: async (record) => {
      const { images } = env;
      const layer = await TempLayer.open(images, state.image);
      let view: TempLayer | undefined;
      try {
        const owner = chown === undefined ? undefined : resolveOwner(chown, lookup, env.escape, await readFileInRoot(layer.root, '/etc/passwd'), await readFileInRoot(layer.root, '/etc/group'), fail);
        const own: CopyOwnership = { keepOwner: sourceImage !== undefined, ...(owner !== undefined && { uid: owner.uid, gid: owner.gid }), ...(mode !== undefined && { mode }) };
        if (sourceImage !== undefined) view = await TempLayer.open(images, sourceImage);
        for (const source of sources) await copySource(env, source, layer.root, dest, destIsDir, own, view?.root, isAdd);
        await layer.unmount();
        // The temporary layer's directory becomes the new layer's: its tar is only hashed and stored.
        return await images.commit({
          parent: state.image, layer: () => images.snapshotter.diff(layer.key), adoptSnapshot: layer.key, config: state.config, history: { createdBy }, names: [],
          alsoRecord: record,
        });
      } finally {
        // The image is made or the step failed: the next step need not wait for the layers to go.
        env.defer(async () => {
          await view?.remove();
          await layer.remove();
        });
      }
    },
  };
}

async function copySource(env: StepEnv, source: Source, root: string, dest: string, destIsDir: boolean, own: CopyOwnership, viewRoot: string | undefined, isAdd: boolean): Promise<void> {
  if (source.kind === 'inline') {
    const target = destIsDir ? posix.join(dest, source.label) : dest;
    await ensureDirectory(root, posix.dirname(target));
    const host = await resolveInRoot(root, target);
    await rm(host, { force: true });
    await writeFile(host, source.value, { mode: own.mode ?? 0o644 });
    return;
  }
  if (source.kind === 'image') {
    if (viewRoot === undefined) return;
    const host = await resolveInRoot(viewRoot, source.value);
    await copyInto(host, root, dest, destIsDir, own).catch((err: unknown) => {
      throw errors.notFound('copy-source-not-found', `${source.label}: not found in the source image`, { cause: err });
    });
    return;
  }
  const host = await env.context.hostPath(source.value);
  if (isAdd && (await isFile(host)) && (await isTarArchive(host))) {
    const tmp = await mkdtemp(join(env.images.root.tmp, `build-context-${ownerTag()}-`));
    try {
      await unpackLayer(openLayerStream(createReadStream(host)), tmp, { runner: env.runner, hash: false });
      await copyInto(tmp, root, dest, true, { ...own, keepOwner: own.uid === undefined });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return;
  }
  await copyInto(host, root, dest, destIsDir, own, (rel, isDir) => env.context.visible(posix.join(source.value, rel), isDir));
}

async function isFile(path: string): Promise<boolean> {
  return (await lstat(path)).isFile();
}
