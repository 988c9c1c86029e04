// The step modules by step kind: what the engine calls to apply or release each step of a plan.
// Every StepKind has exactly one handler; the compiler checks the record is complete.
import type { StepKind } from '../../domain/plan/index.js';
import { ramAccessKeyStep, ramPolicyStep, ramUserStep } from './access.js';
import { slbListenerStep, slbStep } from './balancer.js';
import { logProjectStep, rdsWhitelistStep } from './cloud-services.js';
import { addonStep, clusterCredentialsStep, controlPlaneStep, nodeReadyStep } from './cluster.js';
import { ecsAdoptionStep, ecsInstanceStep } from './instances.js';
import { eipAssociationStep, eipStep, natGatewayStep, snatEntryStep } from './nat.js';
import { routeEntryStep, vpcStep, vswitchStep } from './network.js';
import { keyPairStep, securityGroupRulesStep, securityGroupStep } from './security.js';
import type { StepHandler } from './types.js';

export const STEP_HANDLERS: Readonly<Record<StepKind, StepHandler>> = {
  vpc: vpcStep,
  vswitch: vswitchStep,
  'security-group': securityGroupStep,
  'security-group-rules': securityGroupRulesStep,
  'nat-gateway': natGatewayStep,
  eip: eipStep,
  'eip-association': eipAssociationStep,
  'snat-entry': snatEntryStep,
  'ram-user': ramUserStep,
  'ram-policy': ramPolicyStep,
  'ram-access-key': ramAccessKeyStep,
  slb: slbStep,
  'slb-listener': slbListenerStep,
  'key-pair': keyPairStep,
  'log-project': logProjectStep,
  'cluster-credentials': clusterCredentialsStep,
  'control-plane': controlPlaneStep,
  'ecs-instance': ecsInstanceStep,
  'ecs-adoption': ecsAdoptionStep,
  'route-entry': routeEntryStep,
  'rds-whitelist': rdsWhitelistStep,
  'node-ready': nodeReadyStep,
  addon: addonStep,
};

export { ACCESS_KEY_SECRET } from './access.js';
export { rdsGroupName } from './cloud-services.js';
export { KEY_PAIR_SECRET } from './security.js';
export * from './types.js';
