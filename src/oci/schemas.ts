import { z } from 'zod';
import { isDigest, type Digest } from '../base/digest.js';

/**
 * Schemas for the untrusted JSON of images: OCI and Docker manifests, indexes and configs.
 * Unknown fields are allowed (and kept in the stored bytes); what berth reads is checked.
 */

const digest = z.string().refine((value): value is Digest => isDigest(value), { error: 'not a sha256/sha512 digest' });
const stringMap = z.record(z.string(), z.string());

export const platformSchema = z.object({
  architecture: z.string().min(1),
  os: z.string().min(1),
  'os.version': z.string().optional(),
  'os.features': z.array(z.string()).optional(),
  variant: z.string().optional(),
});
export type Platform = z.infer<typeof platformSchema>;

export const descriptorSchema = z.object({
  mediaType: z.string().min(1),
  digest,
  size: z.number().int().nonnegative(),
  urls: z.array(z.string()).optional(),
  annotations: stringMap.optional(),
  platform: platformSchema.optional(),
  artifactType: z.string().optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: stringMap.optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: stringMap.optional(),
});
export type ImageIndex = z.infer<typeof indexSchema>;

const stringList = z.array(z.string()).nullable().optional();
const emptyObjectMap = z.record(z.string(), z.object({})).nullable().optional();

export const healthcheckSchema = z.object({
  Test: stringList,
  Interval: z.number().int().optional(),
  Timeout: z.number().int().optional(),
  StartPeriod: z.number().int().optional(),
  StartInterval: z.number().int().optional(),
  Retries: z.number().int().optional(),
});

export const containerConfigSchema = z.object({
  User: z.string().optional(),
  ExposedPorts: emptyObjectMap,
  Env: stringList,
  Entrypoint: stringList,
  Cmd: stringList,
  Volumes: emptyObjectMap,
  WorkingDir: z.string().optional(),
  Labels: stringMap.nullable().optional(),
  StopSignal: z.string().optional(),
  Healthcheck: healthcheckSchema.optional(),
  ArgsEscaped: z.boolean().optional(),
  Shell: stringList,
  OnBuild: stringList,
});
export type ContainerConfig = z.infer<typeof containerConfigSchema>;

export const historySchema = z.object({
  created: z.string().optional(),
  author: z.string().optional(),
  created_by: z.string().optional(),
  comment: z.string().optional(),
  empty_layer: z.boolean().optional(),
});
export type HistoryEntry = z.infer<typeof historySchema>;

export const imageConfigSchema = z.object({
  created: z.string().optional(),
  author: z.string().optional(),
  architecture: z.string().min(1),
  os: z.string().min(1),
  variant: z.string().optional(),
  'os.version': z.string().optional(),
  config: containerConfigSchema.nullable().optional(),
  /** Docker's legacy keys: the container the image was committed from, and its config. */
  container: z.string().optional(),
  container_config: containerConfigSchema.nullable().optional(),
  rootfs: z.object({ type: z.literal('layers'), diff_ids: z.array(digest) }),
  history: z.array(historySchema).optional(),
});
export type ImageConfig = z.infer<typeof imageConfigSchema>;

/** `manifest.json` at the top of a docker-archive (what `docker save` writes). */
export const dockerArchiveManifestSchema = z.array(
  z.object({
    Config: z.string().min(1),
    RepoTags: z.array(z.string()).nullable().optional(),
    Layers: z.array(z.string().min(1)),
  }),
);
export type DockerArchiveManifest = z.infer<typeof dockerArchiveManifestSchema>;

/** `oci-layout` file of an OCI image layout. */
export const ociLayoutSchema = z.object({ imageLayoutVersion: z.string() });
