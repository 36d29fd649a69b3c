/**
 * Swarm secrets and configs on the wire (`/secrets`, `/configs`): the create and update body (a
 * SecretSpec or ConfigSpec; `Data` is base64, as Go encodes []byte), the objects berthd shows (a
 * secret's data never, a config's always, as dockerd), and a service's references to them
 * (TaskTemplate.ContainerSpec.Secrets / Configs).
 */
import { z } from 'zod';

export const swarmFileObjectSpecSchema = z.object({
  Name: z.string().nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
  /** base64 of the data. */
  Data: z.string().nullish(),
  /** Refused when set: berth has no secret drivers or templating. */
  Driver: z.unknown().optional(),
  Templating: z.unknown().optional(),
});
export type SwarmFileObjectSpecBody = z.input<typeof swarmFileObjectSpecSchema>;

interface SwarmObjectMeta {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
}

export interface SwarmSecret extends SwarmObjectMeta {
  Spec: { Name: string; Labels: Record<string, string> };
}

export interface SwarmConfig extends SwarmObjectMeta {
  Spec: { Name: string; Labels: Record<string, string>; Data: string };
}

/** The answer of `POST /secrets/create` and `POST /configs/create` (201). */
export interface FileObjectCreateResponse {
  ID: string;
}

const fileTargetSchema = z.object({
  Name: z.string().nullish(),
  UID: z.string().nullish(),
  GID: z.string().nullish(),
  Mode: z.number().int().nullish(),
});

/** One of a service's secrets (`--secret source=S,target=T,mode=0400`) as a client sends it. */
export const secretReferenceSchema = z.object({
  File: fileTargetSchema.nullish(),
  SecretID: z.string().nullish(),
  SecretName: z.string().nullish(),
});

/** One of a service's configs as a client sends it (`Runtime`, a credential spec's, is refused). */
export const configReferenceSchema = z.object({
  File: fileTargetSchema.nullish(),
  Runtime: z.unknown().optional(),
  ConfigID: z.string().nullish(),
  ConfigName: z.string().nullish(),
});

/** A reference as berthd shows it in a service's spec. */
export interface SwarmFileReference {
  File: { Name: string; UID: string; GID: string; Mode: number };
  SecretID?: string;
  SecretName?: string;
  ConfigID?: string;
  ConfigName?: string;
}

/** The answer of `POST /berth/v1/cluster/data-key/rotate`: the new key's id and how many secrets it sealed again. */
export interface DataKeyRotation {
  KeyID: string;
  Resealed: number;
}
