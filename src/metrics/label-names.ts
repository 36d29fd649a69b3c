/**
 * Prometheus label names for a container's labels, as cAdvisor makes them: `container_label_`
 * followed by the label's key with every character outside `[a-zA-Z0-9_]` replaced by `_`, so
 * `com.docker.compose.service` becomes `container_label_com_docker_compose_service`.
 */

const INVALID = /[^a-zA-Z0-9_]/g;

/** The key with every character a Prometheus label name may not hold replaced by `_`. */
export function sanitizeLabelName(key: string): string {
  return key.replace(INVALID, '_');
}

/**
 * A container's labels as Prometheus labels. Keys that sanitize to the same name (`a.b` and `a-b`)
 * would make one series claim two values: the key first in code-point order wins, so the choice
 * does not depend on the order the labels were given in.
 */
export function containerLabelSet(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) {
    const name = `container_label_${sanitizeLabelName(key)}`;
    if (!(name in out)) out[name] = labels[key] ?? '';
  }
  return out;
}
