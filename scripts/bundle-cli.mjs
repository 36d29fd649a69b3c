// Bundles the berth CLI (dist/src/daemon/berth-main.js, compiled by tsc) into dist/cli-bundle/:
// one entry module plus chunks for what loads lazily. Node resolves, reads and links each ES module
// on its own, so the ~100 modules a `berth run` loads cost it more than their code; one bundle
// starts faster (bench/README.md, container-start). bin/berth.js runs the bundle when it is newer
// than tsc's last build, and the unbundled dist/ otherwise.
//
// Not bundled, and loaded from dist/src as tsc wrote them: npm packages (each stays one instance,
// found in node_modules as usual); the in-process parts (daemon/berth-process/: image store,
// scanner, registry, lab), which find programs and workers next to their own files; and
// base/errors.js, whose BerthError class both sides must share for `instanceof`.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'cli-bundle');
const keepUnbundled = [join(dist, 'src', 'daemon', 'berth-process') + '/', join(dist, 'src', 'base', 'errors.js')];

/** Imports of the modules in keepUnbundled stay imports, rewritten relative to the bundle. */
const unbundledParts = {
  name: 'unbundled-parts',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      if (!keepUnbundled.some((k) => (k.endsWith('/') ? target.startsWith(k) : target === k))) return undefined;
      return { path: `./${relative(outdir, target)}`, external: true };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { berth: join(dist, 'src', 'daemon', 'berth-main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [unbundledParts],
  logLevel: 'warning',
});
