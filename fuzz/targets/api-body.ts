/**
 * JSON bodies of the Docker API as the routes read them: `POST /containers/create` (schema, the
 * engine's request, then the checks create runs without a daemon: lifecycle config, log settings
 * and the runtime spec builder) and `POST /containers/{id}/update`. The input is
 * `<body kind>\n<JSON>`; bodies that are not JSON never reach the routes (the server refuses them).
 */
import { createRequestFromBody } from '../../src/api/container-create-body.js';
import { withSchemaFieldNames } from '../../src/api/go-field-names.js';
import { resourceUpdateFromBody } from '../../src/api/routes/container-update.js';
import { containerCreateBodySchema, containerUpdateBodySchema } from '../../src/wire/containers.js';
import { lifecycleConfig } from '../../src/engine/lifecycle-config.js';
import { parseSchema } from '../../src/oci/parse-json.js';
import { checkLogSettings, resolveLogSettings } from '../../src/runtime/logging/log-options.js';
import { DEFAULT_SECCOMP_PROFILE } from '../../src/runtime/seccomp/default-profile.js';
import { buildSpec } from '../../src/runtime/spec/build-spec.js';
import { jsonOf, select } from '../support/input.js';
import { refusing } from '../support/refusal.js';

const ID = 'f'.repeat(64);
const DAEMON_LOG = checkLogSettings('json-file', {});

function containerCreate(body: unknown): void {
  const parsed = refusing(() => parseSchema(containerCreateBodySchema, body, 'container config'));
  if (parsed === undefined) return;
  const request = refusing(() => createRequestFromBody(parsed, 'fuzz'));
  if (request === undefined) return;
  refusing(() => lifecycleConfig(request, { Labels: { a: 'b' } }, request.autoRemove === true, request.options.labels));
  refusing(() => resolveLogSettings(request.log, DAEMON_LOG));
  const { groupAdd: _groups, ...options } = request.options;
  refusing(() => buildSpec({
    id: ID,
    image: { User: '', Env: ['PATH=/usr/bin'], Cmd: ['sh'] },
    options: { ...options, user: '' },
    rootfsPath: '/',
    etcFiles: { hosts: '/hosts', hostname: '/hostname', resolvConf: '/resolv.conf' },
    cgroupsPath: `/berth/${ID}`,
    hostLimits: { nofileHard: 1_048_576, nprocHard: 4_194_304 },
    seccompProfile: DEFAULT_SECCOMP_PROFILE,
    hostKernel: { kernel: 6, major: 1 },
    ...(options.init === true ? { initPath: '/usr/libexec/berth-init' } : {}),
  }));
}

function containerUpdate(body: unknown): void {
  const parsed = refusing(() => parseSchema(containerUpdateBodySchema, body, 'container update'));
  if (parsed !== undefined) resourceUpdateFromBody(parsed);
}

const bodies: Record<string, (body: unknown) => void> = {
  'container-create': containerCreate,
  'container-create-go-names': (body) => { containerCreate(withSchemaFieldNames(body, containerCreateBodySchema)); },
  'container-update': containerUpdate,
};

export function fuzz(data: Buffer): void {
  const { entry, rest } = select(data, bodies);
  const json = jsonOf(rest);
  if (json !== undefined) entry(json.value);
}
