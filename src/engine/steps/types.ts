// What a step module is: `apply` creates or adopts its resource and reports when it is ready;
// `release` deletes it and reports when it is gone. Both are re-entrant: called again after a crash,
// a retry or a wait, they pick up from what the step recorded.
import type { Provider, Tag } from '../../cloud/provider.js';
import type { PlanStep } from '../../domain/plan/index.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The step's durable memory: cloud ids and progress recorded as soon as the cloud returns them. */
export type StepState = Readonly<Record<string, Json>>;

export interface StepContext {
  readonly clusterId: string;
  readonly regionId: string;
  readonly step: PlanStep;
  /** The step's inputs with references to other steps' outputs and secrets resolved. */
  readonly inputs: Readonly<Record<string, Json>>;
  readonly provider: Provider;
  /** Deterministic per cluster and step: the same create after a crash is the same create. */
  readonly clientToken: string;
  /** Owner tags (`kuberack:cluster`, `kuberack:step`) plus the spec's tags. */
  readonly tags: readonly Tag[];
  readonly state: StepState;
  /** Records progress durably before returning; call it the moment the cloud returns an id. */
  save(patch: Record<string, Json>): Promise<void>;
  /** The cluster's secrets (access-key secret, private keys), encrypted at rest; never in outputs. */
  readonly secrets: SecretStore;
  /** Services beyond the cloud (PKI, hosted control planes, node registry), by step kind. */
  readonly services: StepServices;
  readonly now: number;
}

export interface SecretStore {
  put(name: string, value: string): Promise<void>;
  get(name: string): Promise<string | null>;
  remove(name: string): Promise<void>;
}

/** Ports some steps need besides the provider; the composition root supplies them. */
export interface StepServices {
  /** Cluster PKI and join credentials for `cluster-credentials`. */
  readonly credentials: CredentialsService;
  /** Where hosted control planes run (architecture decision 7). */
  readonly controlPlanes: ControlPlaneHost;
  /** Registered nodes, for `node-ready`. */
  readonly nodes: NodeRegistry;
  /** The worker user data (cloud-init) for `ecs-instance` and `ecs-adoption`. */
  readonly bootstrap: BootstrapRenderer;
}

export interface CredentialsService {
  /** Creates (once) the cluster's PKI and join token; returns public outputs, stores secrets itself. */
  ensure(clusterId: string, input: Readonly<Record<string, Json>>): Promise<Record<string, Json>>;
  remove(clusterId: string): Promise<void>;
}

export interface ControlPlaneHost {
  ensure(
    clusterId: string,
    input: Readonly<Record<string, Json>>,
  ): Promise<{ ready: boolean; outputs: Record<string, Json> }>;
  remove(clusterId: string): Promise<boolean>;
}

export interface RegisteredNode {
  readonly instanceId: string;
  readonly nodeName: string;
  readonly gpuCount: number;
  readonly registeredAt: number;
}

export interface NodeRegistry {
  /** The node that instance registered as, with its GPU report, or null while it has not. */
  find(clusterId: string, instanceId: string): Promise<RegisteredNode | null>;
  /** Issues (once) the registration token the agent of the node planned as `stepKey` presents. */
  tokenFor(clusterId: string, stepKey: string): Promise<string>;
  remove(clusterId: string, instanceId: string): Promise<void>;
}

export interface BootstrapRenderer {
  /**
   * The user data of one worker; secrets inside are the node's own registration token and the
   * cluster's bootstrap (join) token. `instanceType` is the type the instance is launched or adopted
   * as (labels, reserved CPUs and the driver depend on it).
   */
  render(input: {
    clusterId: string;
    stepKey: string;
    bootstrap: Json;
    nodeToken: string;
    regionId?: string;
    instanceType?: string | null;
  }): Promise<string>;
  /**
   * Renders a worker's user data with stand-ins of the real secrets' length, before anything exists,
   * so a spec whose user data cannot fit is refused up front; throws what `render` would.
   */
  preview?(input: {
    clusterId: string;
    bootstrap: Json;
    regionId: string;
    instanceType: string | null;
    kubernetesVersion: string;
  }): void;
}

export type StepOutcome =
  | { readonly status: 'done'; readonly outputs: Record<string, Json> }
  | { readonly status: 'waiting'; readonly reason: string };

export function done(outputs: Record<string, Json> = {}): StepOutcome {
  return { status: 'done', outputs };
}

export function waiting(reason: string): StepOutcome {
  return { status: 'waiting', reason };
}

export interface StepHandler {
  apply(ctx: StepContext): Promise<StepOutcome>;
  release(ctx: StepContext): Promise<StepOutcome>;
}

/** Input accessors that fail loudly on a plan/handler mismatch (a bug, not user input). */
export function str(ctx: StepContext, name: string): string {
  const v = ctx.inputs[name];
  if (typeof v !== 'string') throw new Error(`step ${ctx.step.key}: input ${name} is not a string`);
  return v;
}

export function optStr(ctx: StepContext, name: string): string | null {
  const v = ctx.inputs[name];
  return typeof v === 'string' ? v : null;
}

export function recorded(ctx: StepContext, name = 'id'): string | null {
  const v = ctx.state[name];
  return typeof v === 'string' ? v : null;
}

/** The spec's tags from the `tags` input, after the owner tags. */
export function userTags(inputs: Readonly<Record<string, Json>>): Tag[] {
  const t = inputs.tags;
  if (!Array.isArray(t)) return [];
  return t.flatMap((x) =>
    x !== null &&
    typeof x === 'object' &&
    !Array.isArray(x) &&
    typeof x.key === 'string' &&
    typeof x.value === 'string'
      ? [{ key: x.key, value: x.value }]
      : [],
  );
}
