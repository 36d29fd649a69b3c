import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors } from '../../base/errors.js';
import type { ImageService } from '../../images/image-service.js';
import { SBOM_FORMATS, type CriticalFindingsHook, type SbomFormat, type ScanService, type WatchedImage } from '../../security/scan-service.js';
import { SEVERITIES, severityRank, type Severity } from '../../security/vulns/cvss.js';
import { toSarif } from '../../security/vulns/report-formats.js';
import { queryBool, queryString, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { '*'?: string } }>;

export interface SecurityRoutesOptions {
  scanner: ScanService;
  images: ImageService;
  /** Images that running containers use: their new CRITICAL findings are reported after an import. */
  watchedImages: () => WatchedImage[];
  /** Hears of images that gained CRITICAL findings through an import (events plug in here). */
  onCriticalFindings?: CriticalFindingsHook;
}

const importBodySchema = z.strictObject({ path: z.string().min(1) });

function severityOf(query: Query): Severity | undefined {
  const value = queryString(query, 'severity')?.toUpperCase();
  if (value === undefined || value === '') return undefined;
  const found = SEVERITIES.find((s) => s === value && s !== 'UNKNOWN');
  if (found === undefined) throw errors.invalidArgument('unknown-severity', `severity: unknown level ${value} (LOW, MEDIUM, HIGH or CRITICAL)`);
  return found;
}

/**
 * berth's scanning extensions: `POST /berth/v1/images/{name}/scan` (a report as JSON, or SARIF
 * with `format=sarif`; `severity`, `ignoreUnfixed`), `POST /berth/v1/images/{name}/sbom`
 * (`format=cyclonedx|spdx`), `POST /berth/v1/scan/db/import` (`{"path": dir-or-zip}` on this
 * node), `GET /berth/v1/scan/db`.
 */
export function securityRoutes(app: FastifyInstance, options: SecurityRoutesOptions): void {
  const { scanner, images } = options;

  app.post('/berth/v1/images/*', async (request: Request) => {
    const rest = request.params['*'] ?? '';
    const slash = rest.lastIndexOf('/');
    const name = rest.slice(0, slash);
    const action = rest.slice(slash + 1);
    if (slash <= 0 || (action !== 'scan' && action !== 'sbom')) throw errors.notFound('no-such-route', `page not found: POST /berth/v1/images/${rest}`);
    images.resolve(name); // only images of the store: never a path on the daemon's host
    if (action === 'sbom') {
      const format = queryString(request.query, 'format') ?? 'cyclonedx';
      if (!(SBOM_FORMATS as readonly string[]).includes(format)) throw errors.invalidArgument('unknown-format', `format: ${format} is not cyclonedx or spdx`);
      return scanner.sbom(name, format as SbomFormat, images);
    }
    const threshold = severityOf(request.query);
    const report = await scanner.scan(name, images, { ignoreUnfixed: queryBool(request.query, 'ignoreUnfixed') });
    if (threshold !== undefined) report.findings = report.findings.filter((f) => severityRank(f.severity) >= severityRank(threshold));
    return queryString(request.query, 'format') === 'sarif' ? toSarif(report) : report;
  });

  app.post('/berth/v1/scan/db/import', async (request) => {
    const parsed = importBodySchema.safeParse(request.body ?? {});
    if (!parsed.success) throw errors.invalidArgument('invalid-body', `body field ${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return scanner.importAndNotify(parsed.data.path, images, options.watchedImages(), options.onCriticalFindings);
  });

  app.get('/berth/v1/scan/db', () => ({ records: scanner.vulns.count(), generation: scanner.vulns.generation() }));
}
