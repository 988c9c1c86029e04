// validateClusterSpec: parse, normalise and check a spec against every rule at once; returns
// all problems (refusals) and warnings (advice), never throws on bad input.
import {
  compareKubernetesVersions,
  DEFAULT_KUBERNETES_VERSION,
  KUBERACK_KUBERNETES_VERSIONS,
} from '../catalogue/kubernetes-versions.js';
import { INSTANCE_TYPES } from '../catalogue/instance-types.js';
import type { Problem } from '../problems.js';
import { ProblemList } from '../problems.js';
import type { SpecFacts } from './facts.js';
import { parseClusterSpec } from './parse.js';
import { clusterRules } from './rules/cluster.js';
import { componentRules } from './rules/components.js';
import type { RuleContext } from './rules/context.js';
import { networkRules } from './rules/network.js';
import { workerRules } from './rules/workers.js';
import type { ClusterSpec, Tag } from './types.js';

export interface ValidationResult {
  /** True when there is no problem; warnings never block. */
  readonly ok: boolean;
  /** The normalised spec (defaults applied, repeated tag keys merged); trustworthy only when ok. */
  readonly spec: ClusterSpec;
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

const RULES = [...clusterRules, ...networkRules, ...workerRules, ...componentRules];

/** M35: a repeated key overwrites the earlier value, keeping the first position. */
export function mergeTags(tags: readonly Tag[]): Tag[] {
  const byKey = new Map<string, string>();
  for (const t of tags) byKey.set(t.key, t.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export function validateClusterSpec(input: unknown, facts: SpecFacts = {}): ValidationResult {
  const kubernetesVersions = facts.kubernetesVersions ?? KUBERACK_KUBERNETES_VERSIONS;
  const newest = kubernetesVersions
    .filter((v) => v.creatable)
    .sort((a, b) => compareKubernetesVersions(b.version, a.version))[0]?.version;
  const { spec, reader } = parseClusterSpec(input, newest ?? DEFAULT_KUBERNETES_VERSION);
  const ctx: RuleContext = {
    spec,
    facts,
    reader,
    problems: reader.problems,
    warnings: new ProblemList(),
    instanceTypes: facts.instanceTypes ?? INSTANCE_TYPES,
    kubernetesVersions,
  };
  for (const rule of RULES) rule(ctx);
  return {
    ok: ctx.problems.empty,
    spec: { ...spec, tags: mergeTags(spec.tags) },
    problems: ctx.problems.items,
    warnings: ctx.warnings.items,
  };
}
