// The context every rule gets: the parsed spec, the caller's facts, and where to put problems
// (refusals) and warnings (advice that does not block creation).
import type { InstanceType } from '../../catalogue/instance-types.js';
import type { KubernetesVersion } from '../../catalogue/kubernetes-versions.js';
import type { ProblemList } from '../../problems.js';
import type { SpecFacts } from '../facts.js';
import type { Reader } from '../reader.js';
import type { ClusterSpec } from '../types.js';

export interface RuleContext {
  readonly spec: ClusterSpec;
  readonly facts: SpecFacts;
  readonly reader: Reader;
  readonly problems: ProblemList;
  readonly warnings: ProblemList;
  readonly instanceTypes: readonly InstanceType[];
  readonly kubernetesVersions: readonly KubernetesVersion[];
}

export type Rule = (ctx: RuleContext) => void;
