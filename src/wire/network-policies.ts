/**
 * Network policies on the wire (`/berth/v1/network-policies`, berth's own routes): the body of a
 * create is the policy's spec as `berth network policy create -f FILE` reads it (YAML or JSON):
 *
 *   name: web-in
 *   target: { service: web }            # or { labels: { tier: front } }
 *   ingress:                            # allow rules; none: nothing gets in
 *     - from: [{ service: api }, { cidr: 10.250.0.0/16 }]   # none: from anywhere
 *       ports: [{ port: 80 }, { protocol: udp, port: 53 }]  # none: every port
 *
 * The manager validates it (`cluster/objects/network-policy.ts`).
 */
export interface NetworkPolicySpecView {
  name: string;
  labels: Record<string, string>;
  target: { service: string } | { labels: Record<string, string> };
  ingress: {
    from: ({ service: string } | { labels: Record<string, string> } | { cidr: string })[];
    ports: { protocol: 'tcp' | 'udp'; port: number }[];
  }[];
}

/** A stored policy, as `GET /berth/v1/network-policies[/{ref}]` answers it. */
export interface NetworkPolicyView {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
  Spec: NetworkPolicySpecView;
}
