import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDigest } from '../../base/digest.js';
import type { ImageRecord } from '../../images/image-record.js';
import type { ImageConfig } from '../../oci/schemas.js';
import { containerFacts, createAdmission, imageFacts, serviceAdmission, updateAdmission } from './admission-facts.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { parsePolicy } from './policy-file.js';

const IMAGE: ImageRecord = {
  id: parseDigest(`sha256:${'ab12'.repeat(16)}`), manifestDigest: parseDigest(`sha256:${'cd'.repeat(32)}`), manifestMediaType: 'application/vnd.oci.image.manifest.v1+json', indexDigest: null,
  os: 'linux', architecture: 'amd64', variant: null, topChainId: null, size: 0, createdAt: '', loadedAt: '',
  names: ['docker.io/library/busybox:latest'], repoDigests: [`docker.io/library/busybox@sha256:${'ef'.repeat(32)}`],
};
const CONFIG: ImageConfig = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: { User: 'app', Labels: { tier: 'web' } } };

describe('imageFacts', () => {
  it('normalises the reference and tells an implied tag from a given one', () => {
    assert.deepEqual(imageFacts('Image', 'busybox').reference, { domain: 'docker.io', path: 'library/busybox', tag: 'latest' });
    assert.equal(imageFacts('Image', 'busybox').implicitTag, true);
    assert.equal(imageFacts('Image', 'busybox:latest').implicitTag, false);
    assert.equal(imageFacts('Image', '127.0.0.1:5000/app').implicitTag, true);
    assert.equal(imageFacts('Image', '127.0.0.1:5000/app:2').implicitTag, false);
    assert.equal(imageFacts('Image', `busybox@sha256:${'a'.repeat(64)}`).implicitTag, false);
  });

  it('has no reference for an image named by id, only its names; the config when given', () => {
    const byId = imageFacts('Image', 'ab12ab12', IMAGE, CONFIG);
    assert.equal(byId.reference, undefined);
    assert.deepEqual(byId.names, [...IMAGE.names, ...IMAGE.repoDigests]);
    assert.deepEqual(byId.config, { user: 'app', labels: { tier: 'web' } });
    assert.equal(imageFacts('Image', `sha256:${'ab12'.repeat(16)}`, IMAGE).reference, undefined);
    assert.notEqual(imageFacts('Image', 'busybox', IMAGE).reference, undefined);
  });
});

describe('containerFacts', () => {
  it('reads the options rules look at from the engine\'s create request', () => {
    const facts = containerFacts({
      image: 'busybox',
      options: { privileged: true, pidMode: 'host', networkMode: 'host', ipcMode: 'private', utsMode: 'host', capAdd: ['NET_ADMIN'], user: '0', memory: 1024, labels: { a: 'b' } },
      usernsMode: 'host',
      mounts: [
        { type: 'bind', source: '/etc', target: '/e', readOnly: true, propagation: 'rprivate', createHostPath: true },
        { type: 'bind', source: '/srv', target: '/s', readOnly: false, propagation: 'rprivate', createHostPath: false },
        { type: 'volume', source: 'data', target: '/d', readOnly: false, noCopy: false },
        { type: 'tmpfs', target: '/t', readOnly: false },
      ],
    });
    assert.deepEqual(facts, {
      privileged: true, hostNamespaces: ['pid', 'network', 'uts', 'userns'], capAdd: ['NET_ADMIN'], user: '0', memory: 1024, labels: { a: 'b' },
      binds: [{ source: '/etc', target: '/e', field: 'HostConfig.Binds' }, { source: '/srv', target: '/s', field: 'HostConfig.Mounts' }],
    });
    assert.deepEqual(containerFacts({ image: 'busybox', options: {} }), { privileged: false, hostNamespaces: [], binds: [], capAdd: [], user: '', labels: {} });
  });

  it('create and update requests', () => {
    const create = createAdmission({ image: 'busybox', options: {} }, IMAGE, CONFIG);
    assert.equal(create.operation, 'create');
    assert.equal(create.image.config?.user, 'app');
    assert.equal(updateAdmission('busybox', IMAGE, { memory: 100 }, undefined).container?.memory, 100);
    assert.equal(updateAdmission('busybox', IMAGE, { memory: 100 }, 200).container?.memory, 200);
    assert.equal(updateAdmission('busybox', undefined, {}, undefined).container?.memory, undefined);
  });
});

describe('serviceAdmission', () => {
  it('judges a task template as a create, naming the service spec\'s fields', () => {
    const request = serviceAdmission({ image: 'busybox:1', binds: [{ source: '/etc', target: '/e' }], memoryBytes: 0, labels: { team: 'a' } });
    assert.equal(request.operation, 'service');
    assert.equal(request.image.field, 'TaskTemplate.ContainerSpec.Image');
    const policy = parsePolicy('rules:\n  - { kind: no-bind-mounts, mode: enforce, paths: [/etc] }\n  - { kind: memory-limit, mode: warn }\n  - { kind: required-labels, mode: warn, labels: { team: [b] } }\n', 'p.yaml');
    assert.deepEqual(evaluatePolicy(policy, request).map((v) => `${v.field} ${v.detail}`), [
      'TaskTemplate.ContainerSpec.Mounts mounts the host path "/etc" (at /e), under the forbidden /etc',
      'TaskTemplate.Resources.Limits.MemoryBytes is not set (a memory limit is required)',
      'TaskTemplate.ContainerSpec.Labels.team is "a", not one of "b"',
    ]);
  });
});
