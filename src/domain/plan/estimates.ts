// Typical step durations on the public cloud (seconds), from the provider latency notes; they
// drive progress estimates and the critical path, never timeouts.
import type { StepKind } from './graph.js';

export const ESTIMATED_SECONDS: Readonly<Record<StepKind, number>> = {
  vpc: 4,
  vswitch: 6,
  'security-group': 3,
  'security-group-rules': 4,
  'nat-gateway': 120,
  eip: 2,
  'eip-association': 6,
  'snat-entry': 12,
  'ram-user': 5,
  'ram-policy': 5,
  'ram-access-key': 3,
  slb: 5,
  'slb-listener': 4,
  'key-pair': 2,
  'log-project': 5,
  'cluster-credentials': 1,
  'control-plane': 60,
  // ECS to Running is one to two minutes; GPU types take longer.
  'ecs-instance': 120,
  'ecs-adoption': 180,
  'route-entry': 6,
  'rds-whitelist': 5,
  // Driver, container toolkit, kubelet join and the first GPU report.
  'node-ready': 300,
  addon: 20,
};
