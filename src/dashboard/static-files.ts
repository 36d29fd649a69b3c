/**
 * The dashboard's pages, scripts and styles: a fixed list of files (nothing else on disk can be
 * asked for), read from `src/dashboard/static/` of the installed tree and uPlot's package.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const STATIC_DIR = fileURLToPath(new URL('../../../src/dashboard/static/', import.meta.url));
const require = createRequire(import.meta.url);

const TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const;

interface StaticFile {
  file: string;
  type: string;
}

const page = (name: string): StaticFile => ({ file: `${STATIC_DIR}${name}`, type: TYPES[name.endsWith('.html') ? 'html' : name.endsWith('.css') ? 'css' : 'js'] });

/** URL path → file. */
export const STATIC_FILES: ReadonlyMap<string, StaticFile> = new Map([
  ['/', page('index.html')],
  ['/container.html', page('container.html')],
  ['/image.html', page('image.html')],
  ['/dashboard.css', page('dashboard.css')],
  ['/dashboard.js', page('dashboard.js')],
  ['/overview.js', page('overview.js')],
  ['/container.js', page('container.js')],
  ['/charts.js', page('charts.js')],
  ['/image.js', page('image.js')],
  ['/vendor/uPlot.iife.min.js', { file: require.resolve('uplot/dist/uPlot.iife.min.js'), type: TYPES.js }],
  ['/vendor/uPlot.min.css', { file: require.resolve('uplot/dist/uPlot.min.css'), type: TYPES.css }],
]);

/** The file served at `path`, or undefined when it is not one of STATIC_FILES. */
export async function readStatic(path: string): Promise<{ body: Buffer; type: string } | undefined> {
  const entry = STATIC_FILES.get(path);
  if (entry === undefined) return undefined;
  return { body: await readFile(entry.file), type: entry.type };
}
