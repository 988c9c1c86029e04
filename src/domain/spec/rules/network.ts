// Rules of step 1's network fields (M21–M31): VPC and vSwitches, plugin and its CIDRs, SNAT,
// API server exposure, RDS whitelist and security group, with the VPC's facts when known.
import {
  checkNodeIpCount,
  checkPodCidr,
  checkServiceCidr,
  checkVpcCidr,
  checkVswitchCidr,
} from '../../net/rules.js';
import type { TakenCidr } from '../../net/rules.js';
import { parseCidr } from '../../net/ipv4.js';
import { joinPath } from '../../problems.js';
import { SPEC_LIMITS as L } from '../defaults.js';
import type { VpcFacts } from '../facts.js';
import type { RuleContext, Rule } from './context.js';

type SpecAndFacts = Pick<RuleContext, 'spec' | 'facts'>;

/** The facts of the existing VPC the spec names, if the caller supplied them. */
export function knownVpc({ spec, facts }: SpecAndFacts): VpcFacts | undefined {
  const vpc = spec.network.vpc;
  return vpc.mode === 'existing' && facts.vpc?.vpcId === vpc.vpcId ? facts.vpc : undefined;
}

/** The VPC CIDR the spec will live in: the new one, or the existing one when facts know it. */
export function vpcCidrOf(ctx: SpecAndFacts): string | undefined {
  const vpc = ctx.spec.network.vpc;
  return vpc.mode === 'create' ? vpc.cidr : knownVpc(ctx)?.cidr;
}

/** Zone of each chosen vSwitch (undefined where unknown). */
export function vswitchZones(ctx: SpecAndFacts): (string | undefined)[] {
  const known = knownVpc(ctx);
  return ctx.spec.network.vswitches.map((v) =>
    v.mode === 'create' ? v.zoneId : known?.vswitches.find((f) => f.vswitchId === v.vswitchId)?.zoneId,
  );
}

export const vpcRule: Rule = ({ spec, facts, reader, problems }) => {
  const vpc = spec.network.vpc;
  if (reader.broken('network.vpc')) return;
  if (vpc.mode === 'create') {
    problems.push(...checkVpcCidr('network.vpc.cidr', vpc.cidr));
    return;
  }
  const known = knownVpc({ spec, facts });
  if (known && known.regionId !== spec.regionId) {
    problems.add('network.vpc.vpcId', 'SPEC_VPC_OTHER_REGION', { value: vpc.vpcId, region: known.regionId });
  }
  if (known && known.kind !== vpc.kind) {
    problems.add('network.vpc.kind', 'SPEC_VPC_KIND_MISMATCH', { value: vpc.kind, actual: known.kind });
  }
};

/** M21: a shared VPC allows only Terway. */
export const sharedVpcRule: Rule = ({ spec, reader, problems }) => {
  const vpc = spec.network.vpc;
  if (reader.broken('network.plugin') || reader.broken('network.vpc')) return;
  if (vpc.mode === 'existing' && vpc.kind === 'shared' && spec.network.plugin !== 'terway') {
    problems.add('network.plugin', 'SPEC_SHARED_VPC_REQUIRES_TERWAY');
  }
};

/** M22: 1–3 vSwitches in distinct zones of the region, new ones inside the VPC. */
export const vswitchesRule: Rule = (ctx) => {
  const { spec, facts, reader, problems } = ctx;
  if (reader.broken('network.vswitches')) return;
  const list = spec.network.vswitches;
  if (list.length < L.vswitchesMin) {
    problems.add('network.vswitches', 'SPEC_VSWITCHES_REQUIRED', {
      min: L.vswitchesMin,
      max: L.vswitchesMax,
    });
    return;
  }
  const vpc = spec.network.vpc;
  const vpcCidr = vpcCidrOf(ctx);
  const zones = vswitchZones(ctx);
  const regionZones = facts.regions?.find((r) => r.regionId === spec.regionId)?.zoneIds;
  const known = knownVpc(ctx);
  const siblings: TakenCidr[] = (known?.vswitches ?? []).map((v) => ({
    cidr: v.cidr,
    label: `vSwitch ${v.vswitchId}`,
  }));
  const firstByZone = new Map<string, number>();
  list.forEach((v, i) => {
    const path = joinPath('network.vswitches', i);
    if (reader.broken(path)) return;
    if (v.mode === 'existing') {
      if (vpc.mode === 'create') problems.add(path, 'SPEC_VSWITCH_NEEDS_EXISTING_VPC');
      else if (known && !known.vswitches.some((f) => f.vswitchId === v.vswitchId)) {
        problems.add(joinPath(path, 'vswitchId'), 'SPEC_VSWITCH_UNKNOWN', {
          value: v.vswitchId,
          vpcId: vpc.vpcId,
        });
      }
    } else {
      if (regionZones && !regionZones.includes(v.zoneId)) {
        problems.add(joinPath(path, 'zoneId'), 'SPEC_ZONE_UNKNOWN', {
          value: v.zoneId,
          allowed: regionZones,
        });
      }
      problems.push(...checkVswitchCidr(joinPath(path, 'cidr'), v.cidr, vpcCidr, siblings));
      siblings.push({ cidr: v.cidr, label: `network.vswitches[${i}]` });
    }
    const zone = zones[i];
    if (zone === undefined) return;
    const first = firstByZone.get(zone);
    if (first !== undefined) problems.add(path, 'SPEC_VSWITCH_ZONE_REPEATED', { zone, first });
    else firstByZone.set(zone, i);
  });
};

/** Everything a cluster CIDR must not overlap, except the field itself. */
function takenCidrs(ctx: RuleContext, exclude: 'pod' | 'service'): TakenCidr[] {
  const { spec, reader } = ctx;
  const taken: TakenCidr[] = [];
  const vpcCidr = vpcCidrOf(ctx);
  if (vpcCidr !== undefined && !reader.broken('network.vpc')) taken.push({ cidr: vpcCidr, label: 'VPC' });
  const net = spec.network;
  net.vswitches.forEach((v, i) => {
    if (v.mode === 'create') taken.push({ cidr: v.cidr, label: `network.vswitches[${i}]` });
  });
  for (const v of knownVpc(ctx)?.vswitches ?? [])
    taken.push({ cidr: v.cidr, label: `vSwitch ${v.vswitchId}` });
  if (exclude !== 'pod' && net.podCidr !== null && !reader.broken('network.podCidr')) {
    taken.push({ cidr: net.podCidr, label: 'Pod CIDR' });
  }
  if (exclude !== 'service' && !reader.broken('network.serviceCidr')) {
    taken.push({ cidr: net.serviceCidr, label: 'Service CIDR' });
  }
  for (const c of knownVpc(ctx)?.clusters ?? []) {
    if (c.podCidr !== null) taken.push({ cidr: c.podCidr, label: `cluster ${c.clusterId} Pod CIDR` });
    taken.push({ cidr: c.serviceCidr, label: `cluster ${c.clusterId} Service CIDR` });
  }
  // A malformed neighbour is reported at its own field; it cannot be overlapped meaningfully.
  return taken.filter((t) => parseCidr(t.cidr) !== null);
}

/** M23–M27: the plugin's fields and the cluster CIDRs. */
export const cidrRule: Rule = (ctx) => {
  const { spec, facts, reader, problems } = ctx;
  const net = spec.network;
  // An unreadable plugin skips only the plugin's own fields; the Service CIDR is checked regardless.
  const pluginRead = !reader.broken('network.plugin');
  if (pluginRead && net.plugin === 'flannel') {
    if (net.nodeIpCount !== null && !reader.broken('network.nodeIpCount')) {
      problems.push(...checkNodeIpCount('network.nodeIpCount', net.nodeIpCount));
    }
    if (net.podCidr !== null && !reader.broken('network.podCidr') && !reader.broken('network.nodeIpCount')) {
      problems.push(
        ...checkPodCidr('network.podCidr', net.podCidr, net.nodeIpCount ?? 0, takenCidrs(ctx, 'pod')),
      );
    }
  } else if (
    pluginRead &&
    net.terwayMode === 'exclusive-eni' &&
    facts.account &&
    !facts.account.allowlists.exclusiveEni
  ) {
    problems.add('network.terwayMode', 'SPEC_EXCLUSIVE_ENI_NOT_ALLOWED');
  }
  if (!reader.broken('network.serviceCidr')) {
    problems.push(...checkServiceCidr('network.serviceCidr', net.serviceCidr, takenCidrs(ctx, 'service')));
  }
};

/** M28: without SNAT, nodes need some other way out, or bootstrap fails. */
export const snatRule: Rule = (ctx) => {
  const net = ctx.spec.network;
  if (net.snat) return;
  const known = knownVpc(ctx);
  const noWayOut =
    net.vpc.mode === 'create' ||
    (known !== undefined && known.natGatewayId === null && !known.hasInternetRoute);
  if (noWayOut) ctx.warnings.add('network.snat', 'SPEC_SNAT_OFF_NO_INTERNET');
};

/** M8/M29: SSH on the public endpoint needs a public endpoint. */
export const exposureRule: Rule = ({ spec, problems, warnings }) => {
  const net = spec.network;
  if (net.sshPublicAccess && !net.apiServer.publicAccess) {
    problems.add('network.sshPublicAccess', 'SPEC_SSH_NEEDS_PUBLIC_ACCESS');
  }
  if (!net.apiServer.publicAccess)
    warnings.add('network.apiServer.publicAccess', 'SPEC_API_SERVER_PRIVATE_ONLY');
};

const RDS_ID = /^rm-[a-z0-9]{6,32}$/;

/** M30: RDS instances in the cluster's region. */
export const rdsRule: Rule = ({ spec, facts, problems }) => {
  const seen = new Set<string>();
  spec.network.rdsInstanceIds.forEach((id, i) => {
    const path = joinPath('network.rdsInstanceIds', i);
    if (!RDS_ID.test(id)) problems.add(path, 'SPEC_RDS_ID_INVALID', { value: id });
    else if (facts.rdsInstances) {
      const rds = facts.rdsInstances.find((r) => r.rdsInstanceId === id);
      if (!rds) problems.add(path, 'SPEC_RDS_UNKNOWN', { value: id });
      else if (rds.regionId !== spec.regionId) {
        problems.add(path, 'SPEC_RDS_OTHER_REGION', { value: id, region: rds.regionId });
      }
    }
    if (seen.has(id)) problems.add(path, 'SPEC_DUPLICATE', { value: id });
    seen.add(id);
  });
};

/** M31: an existing security group must belong to the cluster's VPC. */
export const securityGroupRule: Rule = (ctx) => {
  const { spec, problems } = ctx;
  const sg = spec.network.securityGroup;
  if (sg.mode !== 'existing' || sg.securityGroupId === '') return;
  const vpc = spec.network.vpc;
  const known = knownVpc(ctx);
  if (vpc.mode === 'create') {
    problems.add('network.securityGroup', 'SPEC_SECURITY_GROUP_NEEDS_EXISTING_VPC');
  } else if (known && !known.securityGroupIds.includes(sg.securityGroupId)) {
    problems.add('network.securityGroup.securityGroupId', 'SPEC_SECURITY_GROUP_UNKNOWN', {
      value: sg.securityGroupId,
      vpcId: vpc.vpcId,
    });
  }
};

export const networkRules: readonly Rule[] = [
  vpcRule,
  sharedVpcRule,
  vswitchesRule,
  cidrRule,
  snatRule,
  exposureRule,
  rdsRule,
  securityGroupRule,
];
