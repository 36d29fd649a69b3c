import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ImageService } from '../../images/image-service.js';
import type { ScanService } from '../../security/scan-service.js';
import { toSarif } from '../../wire/scan-report-formats.js';
import { lastScanView } from '../../security/image-scan-store.js';
import { queryBool, queryString, type Query } from '../query.js';
import { databaseImportBodySchema, SBOM_FORMATS, SEVERITIES, severityRank, type DatabaseStatus, type LastScanView, type SbomFormat, type Severity } from '../../wire/security.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { '*'?: string } }>;

export interface SecurityRoutesOptions {
  scanner: ScanService;
  images: ImageService;
  /** Told after an import through the API (berthd: rescan the images in use now, not at the next check). */
  onDatabaseChanged?: () => void;
}

/** `{name}/{action}` of a `/berth/v1/images/*` path; not-found when there is no action. */
function imageAction(request: Request, method: string): { name: string; action: string } {
  const rest = request.params['*'] ?? '';
  const slash = rest.lastIndexOf('/');
  if (slash <= 0) throw errors.notFound('no-such-route', `page not found: ${method} /berth/v1/images/${rest}`);
  return { name: rest.slice(0, slash), action: rest.slice(slash + 1) };
}

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
 * (`format=cyclonedx|spdx`), `GET /berth/v1/images/{name}/scan` (the image's last scan:
 * `{Image, LastScan: {Time, DatabaseGeneration, Counts} | null}`), `POST /berth/v1/scan/db/import`
 * (`{"path": dir-or-zip}` on this node), `GET /berth/v1/scan/db`.
 */
export function securityRoutes(app: FastifyInstance, options: SecurityRoutesOptions): void {
  const { scanner, images } = options;

  app.get('/berth/v1/images/*', (request: Request): LastScanView => {
    const { name, action } = imageAction(request, 'GET');
    if (action !== 'scan') throw errors.notFound('no-such-route', `page not found: GET /berth/v1/images/${request.params['*'] ?? ''}`);
    const image = images.resolve(name);
    return lastScanView(image.id, scanner.scans.lastScan(image.id));
  });

  app.post('/berth/v1/images/*', async (request: Request) => {
    const { name, action } = imageAction(request, 'POST');
    if (action !== 'scan' && action !== 'sbom') throw errors.notFound('no-such-route', `page not found: POST /berth/v1/images/${request.params['*'] ?? ''}`);
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
    const parsed = databaseImportBodySchema.safeParse(request.body ?? {});
    if (!parsed.success) throw errors.invalidArgument('invalid-body', `body field ${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const result = await scanner.importDatabase(parsed.data.path);
    options.onDatabaseChanged?.();
    return result;
  });

  app.get('/berth/v1/scan/db', (): DatabaseStatus => ({ records: scanner.vulns.count(), generation: scanner.vulns.generation() }));
}
