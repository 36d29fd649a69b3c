/**
 * `POST /build` as Docker's classic builder answers it: the body is the context (a tar, plain or
 * compressed), the answer a stream of JSON messages — `{"stream": "Step 1/5 : FROM busybox\n"}`,
 * the steps' output (stderr in the classic builder's red), `{"aux": {"ID": "sha256:…"}}`, and
 * `{"errorDetail": …, "error": …}` when the build fails after the first message; before it (an
 * empty Dockerfile, an unknown network) the failure is an HTTP error, as in Docker
 * (streams/build-stream.ts). `cachefrom`, `extrahosts` and `networkmode` (user networks too) are
 * read as build-query.ts says; a repeated parameter counts by its first value, as Go's FormValue.
 * `POST /build/prune` empties the cache.
 * Secrets for `RUN --mount=type=secret` come in the `X-Berth-Build-Secrets` header (berth's CLI
 * sends it; the docker CLI's classic builder has no way to). berth's `compression` and
 * `compression-level` query parameters store the result's layers compressed that way.
 */
import { Readable, Transform, pipeline } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors, isBerthError, messageOf } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import type { Builder } from '../../build/builder.js';
import { BuildContext } from '../../build/context/build-context.js';
import type { ImageService } from '../../images/image-service.js';
import { parseSchema } from '../../oci/parse-json.js';
import { familiarName } from '../../oci/reference.js';
import { BUILD_SECRETS_HEADER as BUILD_SECRETS_HEADER_NAME, type BuildCachePruneResponse, type BuildQueryParam } from '../../wire/build.js';
import { buildFlag, buildParam, cacheFromParam, extraHostsParam, jsonMapParam, networkModeParam } from '../build-query.js';
import { queryCompression } from '../compression-query.js';
import { checkLabels } from '../input-limits.js';
import { BuildStream } from '../streams/build-stream.js';
import { queryList, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query }>;

const secretsSchema = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'a secret id is letters, digits, _ . and -'), z.base64());

/**
 * The build's secrets (a berth extension; Docker's classic API has none): the `X-Berth-Build-Secrets`
 * header (`../../wire/build.ts`) holds base64 of the JSON object `{"<id>": "<base64 of the value>", …}`.
 * Held in memory only.
 */
const BUILD_SECRETS_HEADER = BUILD_SECRETS_HEADER_NAME.toLowerCase();

function secretsHeader(request: Request): Map<string, Buffer> {
  const header = request.headers[BUILD_SECRETS_HEADER];
  if (typeof header !== 'string' || header === '') return new Map();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch (cause) {
    throw errors.invalidArgument('invalid-header', `${BUILD_SECRETS_HEADER}: not base64 of a JSON object`, { cause });
  }
  const map = parseSchema(secretsSchema, value, BUILD_SECRETS_HEADER);
  return new Map(Object.entries(map).map(([id, data]) => [id, Buffer.from(data, 'base64')]));
}

/** `body` through a pass-through that tells `done` how many bytes went through once it ends, errors included. */
function counted(body: Readable, done: (bytes: number) => void): Readable {
  let bytes = 0;
  const counter = new Transform({ transform(chunk: Buffer, _encoding, callback) { bytes += chunk.length; callback(null, chunk); } });
  // A failed body destroys `counter` with the error, which reaches the context's reader: the
  // callback only reports what came through.
  pipeline(body, counter, () => { done(bytes); });
  return counter;
}

/** `runner`: the node's process runner (unpacks the build context); `onTransferred` is told the context's size (the node's metrics). */
export function buildRoutes(app: FastifyInstance, images: ImageService, builder: Builder, runner: ProcessRunner, onTransferred?: (transfer: 'build', bytes: number) => void): void {
  app.post('/build', async (request: Request, reply) => {
    const query = request.query;
    if (buildParam(query, 'remote') !== undefined) throw errors.invalidArgument('remote-context-unsupported', 'remote build contexts are not supported: send the context as the request body');
    const tags = queryList(query, 't' satisfies BuildQueryParam).filter((t) => t !== '');
    const buildArgs = jsonMapParam(query, 'buildargs');
    const labels = jsonMapParam(query, 'labels');
    checkLabels(labels);
    const quiet = buildFlag(query, 'q');
    const target = buildParam(query, 'target');
    const dockerfile = buildParam(query, 'dockerfile');
    const network = networkModeParam(query);
    const extraHosts = extraHostsParam(query);
    const cacheFrom = cacheFromParam(query);
    const compression = queryCompression(query);
    const secrets = secretsHeader(request);
    const body = request.body;
    if (!(body instanceof Readable)) throw errors.invalidArgument('no-build-context', 'the build context (a tar) is the request body');
    const out = new BuildStream(reply, quiet);
    // As Docker: a client that goes away (ctrl-c on `docker build`) cancels the build.
    const aborter = new AbortController();
    let finished = false;
    reply.raw.on('close', () => { if (!finished) aborter.abort(); });
    let context: BuildContext | undefined;
    try {
      context = await BuildContext.fromTar(onTransferred === undefined ? body : counted(body, (bytes) => { onTransferred('build', bytes); }), images.root.tmp, runner);
      const result = await builder.build({
        context, tags, buildArgs, labels, onEvent: (event) => { out.event(event); }, signal: aborter.signal,
        ...(dockerfile !== undefined && dockerfile !== '' && { dockerfile }),
        ...(target !== undefined && target !== '' && { target }),
        noCache: buildFlag(query, 'nocache'),
        network,
        extraHosts,
        cacheFrom,
        secrets,
        ...(compression !== undefined && { compression }),
      });
      out.write({ aux: { ID: result.image.id } });
      if (quiet) out.write({ stream: `${result.image.id}\n` });
      else {
        out.write({ stream: `Successfully built ${result.image.id.slice(7, 19)}\n` });
        for (const name of result.image.names.filter((n) => tags.some((t) => familiarName(n) === t || familiarName(n) === `${t}:latest` || n === t))) {
          out.write({ stream: `Successfully tagged ${familiarName(name)}\n` });
        }
      }
    } catch (err) {
      const exitCode = isBerthError(err) ? err.details.exitCode : undefined;
      // Nothing sent yet (an empty Dockerfile, an unknown network): an HTTP error, as dockerd.
      if (!out.fail(messageOf(err), typeof exitCode === 'number' ? exitCode : 1)) throw err;
    } finally {
      finished = true;
      await context?.close();
      out.end();
    }
  });

  app.post('/build/prune', async (): Promise<BuildCachePruneResponse> => {
    const { entries, spaceReclaimed } = await builder.prune();
    return { CachesDeleted: entries > 0 ? [`${entries} entries`] : null, SpaceReclaimed: spaceReclaimed };
  });
}
