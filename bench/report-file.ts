// A benchmark's report: printed, and kept as bench/results/<name>.md (git-ignored).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');

export async function publishReport(name: string, report: string): Promise<void> {
  process.stdout.write(report);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(join(RESULTS, `${name}.md`), report);
}
