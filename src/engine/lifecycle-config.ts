/**
 * The lifecycle part of a container's config, checked and resolved at create: its restart policy
 * and its health check (the image's HEALTHCHECK merged with the request's).
 */
import type { ContainerConfig as ImageContainerConfig } from '../oci/schemas.js';
import type { ContainerConfig } from './container-record.js';
import { resolveHealthcheck, type HealthcheckSpec } from './health/health-config.js';
import { checkRestartPolicy, type RestartPolicy } from './restart/restart-policy.js';

export interface LifecycleRequest {
  restartPolicy?: RestartPolicy;
  /** Docker's Config.Healthcheck (durations in ns); `{ Test: ['NONE'] }` turns the image's off. */
  healthcheck?: HealthcheckSpec;
}

/** Throws invalid-argument naming the field (see checkRestartPolicy, resolveHealthcheck). */
export function lifecycleConfig(
  request: LifecycleRequest, image: ImageContainerConfig | null | undefined, autoRemove: boolean, labels: Record<string, string> | undefined,
): Pick<ContainerConfig, 'restartPolicy' | 'healthcheck'> {
  const config: Pick<ContainerConfig, 'restartPolicy' | 'healthcheck'> = {};
  if (request.restartPolicy !== undefined) {
    const policy = checkRestartPolicy(request.restartPolicy.name, request.restartPolicy.maximumRetryCount, autoRemove);
    if (policy.name !== 'no') config.restartPolicy = policy;
  }
  const healthcheck = resolveHealthcheck(request.healthcheck, image?.Healthcheck, { ...(image?.Labels ?? {}), ...(labels ?? {}) });
  if (healthcheck !== undefined) config.healthcheck = healthcheck;
  return config;
}
