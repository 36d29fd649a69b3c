/**
 * `berth policy check` in the berth process (the `policy` port, cli/berth-ports.ts): the policy
 * file, the create body validated and turned into the engine's request as berthd does
 * (api/container-create-body.ts), the image's facts from the state root when it has the image,
 * and the evaluation by the same gate berthd uses, without logging, recording or refusing.
 * A state root that does not exist is not created: the check then runs without image facts.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { isBerthError } from '../../base/errors.js';
import type { GlobalOptions } from '../../cli/args/command-spec.js';
import type { PolicyCommands } from '../../cli/berth-ports.js';
import { stateRootOf } from '../../cli/context.js';
import { createRequestFromBody } from '../../api/container-create-body.js';
import { parseSchema } from '../../oci/parse-json.js';
import { containerCreateBodySchema, type ContainerCreateConfig } from '../../wire/containers.js';
import type { ImageRecord } from '../../images/image-record.js';
import type { ImageService } from '../../images/image-service.js';
import { AdmissionGate, containerFacts, imageFacts, loadPolicyFile, type AdmissionRequest, type Policy } from '../../security/admission/index.js';
import { ScanService } from '../../security/scan-service.js';
import { SignatureChecker } from '../../security/signing/signature-checker.js';
import { withImages } from './local-images.js';
import { processClock, processRunner } from './process-parts.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

function resolveOrNone(images: ImageService, ref: string): ImageRecord | undefined {
  try {
    return images.resolve(ref);
  } catch (err) {
    if (isBerthError(err, 'not-found')) return undefined;
    throw err;
  }
}

async function withStoredImage(globals: GlobalOptions, policy: Policy, request: AdmissionRequest, ref: string): Promise<{ violations: Awaited<ReturnType<AdmissionGate['evaluate']>>; imageInStore: boolean }> {
  const root = stateRootOf(globals);
  if (!(await exists(join(root, 'berth.db')))) return { violations: await new AdmissionGate({ policy, signatures: new SignatureChecker() }).evaluate(request), imageInStore: false };
  return withImages(globals, async (images) => {
    const image = resolveOrNone(images, ref);
    if (image === undefined) return { violations: await new AdmissionGate({ policy, images, signatures: new SignatureChecker() }).evaluate(request), imageInStore: false };
    const withFacts: AdmissionRequest = { ...request, image: imageFacts('Image', ref, image, await images.config(image)) };
    const scanner = ScanService.open(root, { runner: processRunner, clock: processClock });
    try {
      return { violations: await new AdmissionGate({ policy, images, scanner, signatures: new SignatureChecker() }).evaluate(withFacts, { imageId: image.id }), imageInStore: true };
    } finally {
      scanner.close();
    }
  }, { quiet: true });
}

export const checkPolicy: PolicyCommands['check'] = async (globals, file, body: ContainerCreateConfig) => {
  const policy = await loadPolicyFile(file);
  const create = createRequestFromBody(parseSchema(containerCreateBodySchema, body, 'container config'), undefined);
  const request: AdmissionRequest = { operation: 'create', image: imageFacts('Image', create.image), container: containerFacts(create) };
  return withStoredImage(globals, policy, request, create.image);
};
