/** `cp`'s tar ⇄ directory on this machine (the CLI's host-files port): the snapshots' layer code. */
import type { ProcessRunner } from '../../base/process-runner.js';
import type { HostFiles } from '../../cli/berth-ports.js';
import { diffDirectory } from '../../snapshots/layer-differ.js';
import { unpackLayer } from '../../snapshots/layer-unpacker.js';

export function hostFiles(runner: ProcessRunner): HostFiles {
  return {
    unpack: async (tar, target) => { await unpackLayer(tar, target, { runner, hash: false }); },
    pack: (dir, name, as) => Promise.resolve(diffDirectory(dir, { runner, only: name, as })),
  };
}
