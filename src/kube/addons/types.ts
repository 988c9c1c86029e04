// What an add-on is once rendered (M54–M58): typed Kubernetes objects, their multi-document YAML
// and a summary (names, kinds, sha256) that the components step records.
import { createHash } from 'node:crypto';
import { toMultiDocumentYaml } from '../yaml-text.js';

/** Any Kubernetes object: the typed ones (kubernetes-models interfaces) all fit it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

export interface AddonManifest {
  /** The plan's add-on name, e.g. `nvidia-device-plugin`. */
  readonly name: string;
  readonly objects: readonly KubeObject[];
}

/** Where the add-ons run: ACK images come from the region's VPC registry. */
export interface AddonContext {
  readonly regionId: string;
}

export interface AddonSummary {
  readonly name: string;
  readonly objects: { kind: string; name: string; namespace: string | null }[];
  /** sha256 hex of `renderAddonManifest`'s bytes. */
  readonly sha256: string;
}

export function renderAddonManifest(m: AddonManifest): string {
  return toMultiDocumentYaml(m.objects);
}

export function summarizeAddon(m: AddonManifest): AddonSummary {
  return {
    name: m.name,
    objects: m.objects.map((o) => ({
      kind: o.kind,
      name: o.metadata?.name ?? '',
      namespace: o.metadata?.namespace ?? null,
    })),
    sha256: createHash('sha256').update(renderAddonManifest(m)).digest('hex'),
  };
}

/** `registry-<region>-vpc.ack.aliyuncs.com`: ACK's images, pulled inside the VPC without egress. */
export function ackRegistry(regionId: string): string {
  return `registry-${regionId}-vpc.ack.aliyuncs.com`;
}
