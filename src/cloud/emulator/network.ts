// Emulated VPC service: VPCs, vSwitches, security groups, NAT gateways, EIPs, SNAT entries and route
// entries, with the public cloud's CIDR rules, quotas, asynchronous states and deletion dependencies.
import {
  cidrContains,
  cidrSize,
  cidrsOverlap,
  formatIpv4,
  isPrivateCidr,
  parseCidr,
  type Cidr,
} from '../../domain/net/index.js';
import type {
  CreateOptions,
  Eip,
  EipInstanceType,
  NatGateway,
  Provider,
  RouteEntry,
  SecurityGroup,
  SecurityGroupRule,
  SnatEntry,
  VSwitch,
  Vpc,
  VpcStatus,
} from '../provider.js';
import { cloudId, randomText } from './random.js';
import { statusAt, type Row } from './records.js';
import {
  becomes,
  readOne,
  checkName,
  createOnce,
  fail,
  markDeleted,
  quotaLimit,
  requirePayAsYouGo,
  requireRegion,
  requireZone,
  type Session,
  type WriteScope,
} from './session.js';
import { idPrefixOf } from './world.js';

interface VpcAttrs {
  cidr: string;
  name: string;
  routeTableId: string;
  vrouterId: string;
}
export interface VSwitchAttrs {
  vpcId: string;
  zoneId: string;
  cidr: string;
  name: string;
  /** Offsets into the CIDR already given to instances and load balancers. */
  used: number[];
}
interface SgAttrs {
  vpcId: string;
  type: 'normal' | 'enterprise';
  name: string;
  rules: SecurityGroupRule[];
}
interface NatAttrs {
  vpcId: string;
  vswitchId: string;
  name: string;
  snatTableId: string;
  privateIp: string;
}
interface EipAttrs {
  ip: string;
  name: string;
  bandwidthMbps: number;
  instanceId: string | null;
  instanceType: EipInstanceType | null;
}
interface SnatAttrs {
  snatTableId: string;
  natGatewayId: string;
  vswitchId: string;
  snatIp: string;
}
interface RouteAttrs {
  routeTableId: string;
  destinationCidr: string;
  nextHopType: 'Instance' | 'NatGateway';
  nextHopId: string;
}

const SHARED_SPACE = parseCidr('100.64.0.0/10') as Cidr;

function cidrOrFail(text: string, field = 'CidrBlock'): Cidr {
  const c = typeof text === 'string' ? parseCidr(text) : null;
  if (!c)
    fail(
      `InvalidParameter.${field}`,
      `The ${field} "${String(text).slice(0, 40)}" is not a valid CIDR block.`,
    );
  return c;
}

/** A free private address in a vSwitch, taken; the first address and the last three are reserved. */
export function takeAddress(vsw: Row<VSwitchAttrs>): string {
  const c = cidrOrFail(vsw.attrs.cidr);
  const size = cidrSize(c);
  const used = new Set(vsw.attrs.used);
  if (used.size >= size - 4)
    fail('InvalidVSwitchId.IpNotEnough', `The vSwitch ${vsw.id} has no free IP address.`);
  let offset = 1 + Math.floor(Math.random() * (size - 4));
  while (used.has(offset)) offset = offset + 1 >= size - 3 ? 1 : offset + 1;
  vsw.attrs.used = [...vsw.attrs.used, offset];
  return formatIpv4(c.base + offset);
}

/** Gives an address back to its vSwitch (if the vSwitch is still there) and records it. */
export async function returnAddress(s: WriteScope, vswitchId: string, ip: string): Promise<void> {
  const vsw = await s.r.get<VSwitchAttrs>('vswitch', vswitchId);
  if (!vsw) return;
  releaseAddress(vsw, ip);
  await s.r.update(vsw);
}

/** Gives an address back to its vSwitch. */
function releaseAddress(vsw: Row<VSwitchAttrs>, ip: string): void {
  const c = cidrOrFail(vsw.attrs.cidr);
  const offset = (Number(ip.split('.').reduce((n, o) => n * 256 + Number(o), 0)) >>> 0) - c.base;
  vsw.attrs.used = vsw.attrs.used.filter((o) => o !== offset);
}

export function toVpc(row: Row<VpcAttrs>, now: number): Vpc {
  return {
    id: row.id,
    regionId: row.regionId,
    status: statusAt(row, now) as VpcStatus,
    cidr: row.attrs.cidr,
    name: row.attrs.name,
    routeTableId: row.attrs.routeTableId,
    vrouterId: row.attrs.vrouterId,
    tags: row.tags,
  };
}

function toVSwitch(row: Row<VSwitchAttrs>, now: number): VSwitch {
  return {
    id: row.id,
    vpcId: row.attrs.vpcId,
    zoneId: row.attrs.zoneId,
    cidr: row.attrs.cidr,
    status: statusAt(row, now) as VSwitch['status'],
    name: row.attrs.name,
    availableIpCount: cidrSize(cidrOrFail(row.attrs.cidr)) - 4 - row.attrs.used.length,
    tags: row.tags,
  };
}

function toSecurityGroup(row: Row<SgAttrs>): SecurityGroup {
  return {
    id: row.id,
    vpcId: row.attrs.vpcId,
    type: row.attrs.type,
    name: row.attrs.name,
    rules: row.attrs.rules,
    tags: row.tags,
  };
}

function toEip(row: Row<EipAttrs>, now: number): Eip {
  return {
    id: row.id,
    ip: row.attrs.ip,
    status: statusAt(row, now) as Eip['status'],
    instanceId: row.attrs.instanceId,
    instanceType: row.attrs.instanceType,
    bandwidthMbps: row.attrs.bandwidthMbps,
    name: row.attrs.name,
    tags: row.tags,
  };
}

function toSnat(row: Row<SnatAttrs>, now: number): SnatEntry {
  return { id: row.id, ...row.attrs, status: statusAt(row, now) as SnatEntry['status'] };
}

function toRoute(row: Row<RouteAttrs>, now: number): RouteEntry {
  return { id: row.id, ...row.attrs, status: statusAt(row, now) as RouteEntry['status'] };
}

async function toNat(s: { r: WriteScope['r'] }, row: Row<NatAttrs>, now: number): Promise<NatGateway> {
  const eips = await s.r.referrers<EipAttrs>(row.id, 'eip');
  return {
    id: row.id,
    vpcId: row.attrs.vpcId,
    vswitchId: row.attrs.vswitchId,
    status: statusAt(row, now) as NatGateway['status'],
    snatTableId: row.attrs.snatTableId,
    ips: eips.map((e) => ({ allocationId: e.id, ip: e.attrs.ip })),
    tags: row.tags,
  };
}

/** A parent that must exist and have finished creating; `Incorrect…Status` (retry) while it is busy. */
async function ready<A>(
  s: WriteScope,
  kind: Row['kind'],
  id: string,
  label: string,
  status: string,
): Promise<Row<A>> {
  const row = await s.r.get<A>(kind, id);
  if (!row) fail(`Invalid${label}Id.NotFound`, `The specified ${label} ${id} does not exist.`, 404);
  const now = statusAt(row, s.now);
  if (now !== status) fail(`Incorrect${label}Status`, `The ${label} ${id} is ${now}, not ${status}.`);
  return row;
}

async function vpcOfRouteTable(
  s: { r: WriteScope['r'] },
  regionId: string,
  routeTableId: string,
): Promise<Row<VpcAttrs>> {
  const vpc = (await s.r.list<VpcAttrs>('vpc', regionId)).find((v) => v.attrs.routeTableId === routeTableId);
  if (!vpc) fail('InvalidRouteTableId.NotFound', `The route table ${routeTableId} does not exist.`, 404);
  return vpc;
}

export type NetworkOps = Pick<
  Provider,
  | 'createVpc'
  | 'getVpc'
  | 'describeVpcs'
  | 'deleteVpc'
  | 'createVSwitch'
  | 'getVSwitch'
  | 'describeVSwitches'
  | 'deleteVSwitch'
  | 'createSecurityGroup'
  | 'authorizeSecurityGroup'
  | 'getSecurityGroup'
  | 'describeSecurityGroups'
  | 'deleteSecurityGroup'
  | 'createNatGateway'
  | 'getNatGateway'
  | 'describeNatGateways'
  | 'deleteNatGateway'
  | 'allocateEip'
  | 'getEip'
  | 'associateEip'
  | 'unassociateEip'
  | 'releaseEip'
  | 'createSnatEntry'
  | 'getSnatEntry'
  | 'describeSnatEntries'
  | 'deleteSnatEntry'
  | 'createRouteEntry'
  | 'getRouteEntry'
  | 'describeRouteEntries'
  | 'deleteRouteEntry'
>;

export function networkOps(session: Session): NetworkOps {
  const lat = session.ctx.latency;
  return {
    // ---- VPC ---------------------------------------------------------------------------------------
    createVpc: (req, opts: CreateOptions) =>
      session.write('CreateVpc', async (s) => {
        const row = await createOnce<VpcAttrs>(s, 'vpc', opts, req, async () => {
          requireRegion(req.regionId);
          checkName('VpcName', req.name, true);
          const c = cidrOrFail(req.cidr);
          if (!isPrivateCidr(c) || c.prefix > 28 || c.prefix < 8)
            fail(
              'InvalidCidrBlock.Malformed',
              `The VPC CIDR block ${req.cidr} must be a private block of /8 to /28.`,
            );
          if ((await s.r.count('vpc', req.regionId)) >= quotaLimit(s.account, 'vpc.vpcs-per-region'))
            fail('QuotaExceeded.Vpc', 'The number of VPCs in this region has reached the quota.');
          const p = idPrefixOf(req.regionId);
          const id = cloudId('vpc', p);
          return {
            kind: 'vpc',
            id,
            regionId: req.regionId,
            name: req.name,
            timeline: becomes(s, lat, 'Pending', 'Available', 'vpc.create', id),
            attrs: {
              cidr: req.cidr,
              name: req.name,
              routeTableId: cloudId('vtb', p),
              vrouterId: cloudId('vrt', p),
            },
          };
        });
        return toVpc(row, s.now);
      }),
    getVpc: (regionId, vpcId) => readOne(session, 'DescribeVpcAttribute', 'vpc', regionId, vpcId, toVpc),
    describeVpcs: (regionId) =>
      session.read('DescribeVpcs', async (r) =>
        (await r.list<VpcAttrs>('vpc', regionId)).map((v) => toVpc(v, r.now)),
      ),
    deleteVpc: (regionId, vpcId) =>
      session.write('DeleteVpc', async (s) => {
        const vpc = await s.r.get<VpcAttrs>('vpc', vpcId);
        if (!vpc || vpc.regionId !== regionId)
          fail('InvalidVpcId.NotFound', `The VPC ${vpcId} does not exist.`, 404);
        const status = statusAt(vpc, s.now);
        if (status !== 'Available') fail('IncorrectVpcStatus', `The VPC ${vpcId} is ${status}.`);
        const children = await s.r.children(vpcId);
        const blocking = children.find((c) => c.kind === 'vswitch') ?? children[0];
        if (blocking) {
          const what =
            blocking.kind === 'vswitch'
              ? 'VSwitch'
              : blocking.kind === 'security-group'
                ? 'SecurityGroup'
                : 'Instance';
          fail(`DependencyViolation.${what}`, `The VPC ${vpcId} still has ${blocking.kind} ${blocking.id}.`);
        }
        if ((await s.r.count('route-entry', regionId, vpc.attrs.routeTableId)) > 0)
          fail('DependencyViolation.RouteEntry', `The VPC ${vpcId} still has custom route entries.`);
        await markDeleted(s, vpc, lat.delayMs('vpc.delete', vpcId));
      }),

    // ---- vSwitch -----------------------------------------------------------------------------------
    createVSwitch: (req, opts) =>
      session.write('CreateVSwitch', async (s) => {
        const row = await createOnce<VSwitchAttrs>(s, 'vswitch', opts, req, async () => {
          requireRegion(req.regionId);
          requireZone(req.regionId, req.zoneId);
          checkName('VSwitchName', req.name, true);
          const vpc = await ready<VpcAttrs>(s, 'vpc', req.vpcId, 'Vpc', 'Available');
          const c = cidrOrFail(req.cidr);
          if (c.prefix < 16 || c.prefix > 29)
            fail('InvalidCidrBlock.Malformed', `The vSwitch CIDR block ${req.cidr} must be /16 to /29.`);
          if (!cidrContains(cidrOrFail(vpc.attrs.cidr), c))
            fail(
              'InvalidCidrBlock.NotInVpc',
              `The vSwitch CIDR block ${req.cidr} is not inside the VPC's ${vpc.attrs.cidr}.`,
            );
          const siblings = await s.r.list<VSwitchAttrs>('vswitch', req.regionId, vpc.id);
          const clash = siblings.find((v) => cidrsOverlap(cidrOrFail(v.attrs.cidr), c));
          if (clash)
            fail(
              'InvalidCidrBlock.Overlapped',
              `The CIDR block ${req.cidr} overlaps vSwitch ${clash.id} (${clash.attrs.cidr}).`,
            );
          if (siblings.some((v) => statusAt(v, s.now) === 'Pending'))
            fail('IncorrectVSwitchStatus', 'Another vSwitch of this VPC is being created.');
          if (siblings.length >= quotaLimit(s.account, 'vpc.vswitches-per-vpc'))
            fail('QuotaExceeded.VSwitch', `The number of vSwitches in VPC ${vpc.id} has reached the quota.`);
          const id = cloudId('vsw', idPrefixOf(req.regionId));
          return {
            kind: 'vswitch',
            id,
            regionId: req.regionId,
            name: req.name,
            parentId: vpc.id,
            timeline: becomes(s, lat, 'Pending', 'Available', 'vswitch.create', id),
            attrs: { vpcId: vpc.id, zoneId: req.zoneId, cidr: req.cidr, name: req.name, used: [] },
          };
        });
        return toVSwitch(row, s.now);
      }),
    getVSwitch: (regionId, id) =>
      readOne(session, 'DescribeVSwitchAttributes', 'vswitch', regionId, id, toVSwitch),
    describeVSwitches: (regionId, vpcId) =>
      session.read('DescribeVSwitches', async (r) =>
        (await r.list<VSwitchAttrs>('vswitch', regionId, vpcId)).map((v) => toVSwitch(v, r.now)),
      ),
    deleteVSwitch: (regionId, id) =>
      session.write('DeleteVSwitch', async (s) => {
        const vsw = await s.r.get<VSwitchAttrs>('vswitch', id);
        if (!vsw || vsw.regionId !== regionId)
          fail('InvalidVSwitchId.NotFound', `The vSwitch ${id} does not exist.`, 404);
        const status = statusAt(vsw, s.now);
        if (status !== 'Available') fail('IncorrectVSwitchStatus', `The vSwitch ${id} is ${status}.`);
        const child = (await s.r.children(id))[0];
        if (child)
          fail('DependencyViolation', `The vSwitch ${id} is still used by ${child.kind} ${child.id}.`);
        const [snat] = await s.r.referrers(id, 'snat-entry');
        if (snat)
          fail('DependencyViolation.SnatEntry', `The vSwitch ${id} is the source of SNAT entry ${snat.id}.`);
        await markDeleted(s, vsw, lat.delayMs('vswitch.delete', id));
      }),

    // ---- security groups ---------------------------------------------------------------------------
    createSecurityGroup: (req, opts) =>
      session.write('CreateSecurityGroup', async (s) => {
        const row = await createOnce<SgAttrs>(s, 'security-group', opts, req, async () => {
          requireRegion(req.regionId);
          checkName('SecurityGroupName', req.name, true);
          if (req.type !== 'normal' && req.type !== 'enterprise')
            fail(
              'InvalidSecurityGroupType.Malformed',
              `The security group type ${String(req.type)} is not supported.`,
            );
          await ready<VpcAttrs>(s, 'vpc', req.vpcId, 'Vpc', 'Available');
          if (
            (await s.r.count('security-group', req.regionId)) >= quotaLimit(s.account, 'ecs.security-groups')
          )
            fail(
              'QuotaExceed.SecurityGroup',
              'The number of security groups in this region has reached the quota.',
              403,
            );
          return {
            kind: 'security-group',
            id: cloudId('sg', idPrefixOf(req.regionId)),
            regionId: req.regionId,
            name: req.name,
            parentId: req.vpcId,
            timeline: [{ status: 'Available', at: s.now }],
            attrs: { vpcId: req.vpcId, type: req.type, name: req.name, rules: [] },
          };
        });
        return toSecurityGroup(row);
      }),
    authorizeSecurityGroup: (regionId, id, rules) =>
      session.write('AuthorizeSecurityGroup', async (s) => {
        const sg = await s.r.get<SgAttrs>('security-group', id);
        if (!sg || sg.regionId !== regionId)
          fail('InvalidSecurityGroupId.NotFound', `The security group ${id} does not exist.`, 404);
        const added: SecurityGroupRule[] = [];
        for (const rule of rules) {
          if (!['tcp', 'udp', 'icmp', 'gre', 'all'].includes(rule.protocol))
            fail('InvalidIpProtocol.Malformed', `The protocol ${String(rule.protocol)} is not supported.`);
          if (!/^-?\d+\/-?\d+$/.test(rule.portRange))
            fail('InvalidPortRange.Malformed', `The port range ${rule.portRange} is malformed.`);
          if ((rule.sourceCidr === null) === (rule.sourceGroupId === null))
            fail('MissingParameter', 'A rule needs exactly one of SourceCidrIp and SourceGroupId.', 403);
          if (rule.sourceCidr !== null) cidrOrFail(rule.sourceCidr, 'SourceCidrIp');
          if (
            rule.sourceGroupId !== null &&
            rule.sourceGroupId !== id &&
            !(await s.r.get('security-group', rule.sourceGroupId))
          )
            fail(
              'InvalidSecurityGroupId.NotFound',
              `The source security group ${rule.sourceGroupId} does not exist.`,
              404,
            );
          if (!(rule.priority >= 1 && rule.priority <= 100))
            fail('InvalidPriority.Malformed', 'Priority must be between 1 and 100.');
          const same = (a: SecurityGroupRule) =>
            a.direction === rule.direction &&
            a.protocol === rule.protocol &&
            a.portRange === rule.portRange &&
            a.sourceCidr === rule.sourceCidr &&
            a.sourceGroupId === rule.sourceGroupId &&
            a.policy === rule.policy;
          if (!sg.attrs.rules.some(same) && !added.some(same)) added.push({ ...rule });
        }
        if (sg.attrs.rules.length + added.length > 200)
          fail('AuthorizationLimitExceed', `The security group ${id} would have more than 200 rules.`, 403);
        sg.attrs.rules = [...sg.attrs.rules, ...added];
        await s.r.update(sg);
      }),
    getSecurityGroup: (regionId, id) =>
      readOne(session, 'DescribeSecurityGroupAttribute', 'security-group', regionId, id, toSecurityGroup),
    describeSecurityGroups: (regionId, vpcId) =>
      session.read('DescribeSecurityGroups', async (r) =>
        (await r.list<SgAttrs>('security-group', regionId, vpcId)).map(toSecurityGroup),
      ),
    deleteSecurityGroup: (regionId, id) =>
      session.write('DeleteSecurityGroup', async (s) => {
        const sg = await s.r.get<SgAttrs>('security-group', id);
        if (!sg || sg.regionId !== regionId)
          fail('InvalidSecurityGroupId.NotFound', `The security group ${id} does not exist.`, 404);
        const [user] = await s.r.referrers(id, 'instance');
        if (user)
          fail('DependencyViolation', `The security group ${id} is still used by instance ${user.id}.`);
        await markDeleted(s, sg, 0);
      }),

    // ---- NAT gateways ------------------------------------------------------------------------------
    createNatGateway: (req, opts) =>
      session.write('CreateNatGateway', async (s) => {
        const row = await createOnce<NatAttrs>(s, 'nat-gateway', opts, req, async () => {
          requireRegion(req.regionId);
          checkName('Name', req.name, true);
          requirePayAsYouGo(s.account);
          await ready<VpcAttrs>(s, 'vpc', req.vpcId, 'Vpc', 'Available');
          const vsw = await s.r.get<VSwitchAttrs>('vswitch', req.vswitchId);
          if (!vsw) fail('InvalidVSwitchId.NotFound', `The vSwitch ${req.vswitchId} does not exist.`, 404);
          if (vsw.attrs.vpcId !== req.vpcId)
            fail(
              'OperationFailed.VswNotBelongToVpc',
              `The vSwitch ${req.vswitchId} is not in VPC ${req.vpcId}.`,
            );
          if (statusAt(vsw, s.now) !== 'Available')
            fail('VswitchStatusError', `The vSwitch ${vsw.id} is not available.`);
          const inVpc = await s.r.referrers(req.vpcId, 'nat-gateway');
          if (inVpc.length >= quotaLimit(s.account, 'vpc.nat-gateways-per-vpc'))
            fail(
              'QuotaExceeded.NatGateway',
              `The number of NAT gateways in VPC ${req.vpcId} has reached the quota.`,
            );
          const ip = takeAddress(vsw);
          await s.r.update(vsw);
          const p = idPrefixOf(req.regionId);
          const id = cloudId('ngw', p);
          return {
            kind: 'nat-gateway',
            id,
            refs: [req.vpcId],
            name: req.name,
            regionId: req.regionId,
            parentId: vsw.id,
            timeline: becomes(s, lat, 'Creating', 'Available', 'nat.create', id),
            attrs: {
              vpcId: req.vpcId,
              vswitchId: vsw.id,
              name: req.name,
              snatTableId: cloudId('stb', p),
              privateIp: ip,
            },
          };
        });
        return toNat(s, row, s.now);
      }),
    getNatGateway: (regionId, id) =>
      session.read('DescribeNatGateways', async (r) => {
        const row = await r.get<NatAttrs>('nat-gateway', id);
        return row && row.regionId === regionId ? toNat({ r }, row, r.now) : null;
      }),
    describeNatGateways: (regionId, vpcId) =>
      session.read('DescribeNatGateways', async (r) => {
        const rows =
          vpcId === undefined
            ? await r.list<NatAttrs>('nat-gateway', regionId)
            : await r.referrers<NatAttrs>(vpcId, 'nat-gateway');
        return Promise.all(rows.map((n) => toNat({ r }, n, r.now)));
      }),
    deleteNatGateway: (regionId, id) =>
      session.write('DeleteNatGateway', async (s) => {
        const nat = await s.r.get<NatAttrs>('nat-gateway', id);
        if (!nat || nat.regionId !== regionId)
          fail('InvalidNatGatewayId.NotFound', `The NAT gateway ${id} does not exist.`, 404);
        const status = statusAt(nat, s.now);
        if (status !== 'Available') fail('IncorrectStatus.NatGateway', `The NAT gateway ${id} is ${status}.`);
        if ((await s.r.count('snat-entry', regionId, id)) > 0)
          fail('DependencyViolation.SnatEntry', `The NAT gateway ${id} still has SNAT entries.`);
        if ((await s.r.referrers(id, 'eip')).length > 0)
          fail('DependencyViolation.EIPS', `The NAT gateway ${id} still has EIPs bound.`);
        await returnAddress(s, nat.attrs.vswitchId, nat.attrs.privateIp);
        await markDeleted(s, nat, lat.delayMs('nat.delete', id));
      }),

    // ---- EIPs --------------------------------------------------------------------------------------
    allocateEip: (req, opts) =>
      session.write('AllocateEipAddress', async (s) => {
        const row = await createOnce<EipAttrs>(s, 'eip', opts, req, async () => {
          requireRegion(req.regionId);
          checkName('Name', req.name, true);
          const bandwidth = req.bandwidthMbps ?? 5;
          if (!Number.isInteger(bandwidth) || bandwidth < 1 || bandwidth > 500)
            fail('InvalidParameter.Bandwidth', 'Bandwidth must be an integer from 1 to 500 Mbps.');
          requirePayAsYouGo(s.account);
          if ((await s.r.count('eip', null)) >= quotaLimit(s.account, 'vpc.eips'))
            fail('QuotaExceeded.Eip', 'The number of EIPs of this account has reached the quota.');
          const b = () => Math.floor(Math.random() * 254) + 1;
          return {
            kind: 'eip',
            id: cloudId('eip', idPrefixOf(req.regionId)),
            regionId: req.regionId,
            name: req.name,
            timeline: [{ status: 'Available', at: s.now }],
            attrs: {
              ip: `47.${96 + (b() % 8)}.${b()}.${b()}`,
              name: req.name,
              bandwidthMbps: bandwidth,
              instanceId: null,
              instanceType: null,
            },
          };
        });
        return toEip(row, s.now);
      }),
    getEip: (regionId, id) => readOne(session, 'DescribeEipAddresses', 'eip', regionId, id, toEip),
    associateEip: (regionId, req) =>
      session.write('AssociateEipAddress', async (s) => {
        const eip = await s.r.get<EipAttrs>('eip', req.allocationId);
        if (!eip || eip.regionId !== regionId)
          fail('InvalidAllocationId.NotFound', `The EIP ${req.allocationId} does not exist.`, 404);
        if (eip.attrs.instanceId === req.instanceId) return; // already bound (or binding) to it
        if (statusAt(eip, s.now) !== 'Available')
          fail('IncorrectEipStatus', `The EIP ${eip.id} is not available.`);
        if (req.instanceType === 'Nat') {
          await ready(s, 'nat-gateway', req.instanceId, 'NatGateway', 'Available').catch((e: unknown) => {
            if (e instanceof Error && /IncorrectNatGatewayStatus/.test(e.message))
              fail('IncorrectStatus.NatGateway', `The NAT gateway ${req.instanceId} is not available.`);
            throw e;
          });
        } else if (req.instanceType === 'SlbInstance') {
          await ready(s, 'slb', req.instanceId, 'LoadBalancer', 'active');
        } else if (req.instanceType === 'EcsInstance') {
          await ready(s, 'instance', req.instanceId, 'Instance', 'Running');
        } else {
          fail(
            'InvalidParameter.InstanceType',
            `The instance type ${String(req.instanceType)} is not supported.`,
          );
        }
        eip.attrs.instanceId = req.instanceId;
        eip.refs = [req.instanceId];
        eip.attrs.instanceType = req.instanceType;
        eip.timeline = [
          { status: 'Associating', at: s.now },
          { status: 'InUse', at: s.now + lat.delayMs('eip.associate', `${eip.id}:${req.instanceId}`) },
        ];
        await s.r.update(eip);
      }),
    unassociateEip: (regionId, req) =>
      session.write('UnassociateEipAddress', async (s) => {
        const eip = await s.r.get<EipAttrs>('eip', req.allocationId);
        if (!eip || eip.regionId !== regionId)
          fail('InvalidAllocationId.NotFound', `The EIP ${req.allocationId} does not exist.`, 404);
        if (eip.attrs.instanceId !== req.instanceId) return; // not bound to it: nothing to do
        if (statusAt(eip, s.now) !== 'InUse')
          fail('IncorrectEipStatus', `The EIP ${eip.id} is still associating.`);
        const [snat] = await s.r.referrers(eip.id, 'snat-entry');
        if (snat)
          fail(
            'InvalidIpStatus.HasBeenUsedBySnatTable',
            `The EIP ${eip.id} is used by SNAT entry ${snat.id}.`,
          );
        eip.attrs.instanceId = null;
        eip.attrs.instanceType = null;
        eip.refs = [];
        eip.timeline = [
          { status: 'Unassociating', at: s.now },
          { status: 'Available', at: s.now + lat.delayMs('eip.unassociate', `${eip.id}:${req.instanceId}`) },
        ];
        await s.r.update(eip);
      }),
    releaseEip: (regionId, id) =>
      session.write('ReleaseEipAddress', async (s) => {
        const eip = await s.r.get<EipAttrs>('eip', id);
        if (!eip || eip.regionId !== regionId)
          fail('InvalidAllocationId.NotFound', `The EIP ${id} does not exist.`, 404);
        if (eip.attrs.instanceId !== null || statusAt(eip, s.now) !== 'Available')
          fail('IncorrectEipStatus', `The EIP ${id} is still associated; unassociate it first.`);
        await markDeleted(s, eip, 0, 'Releasing');
      }),

    // ---- SNAT entries ------------------------------------------------------------------------------
    createSnatEntry: (req, opts) =>
      session.write('CreateSnatEntry', async (s) => {
        const row = await createOnce<SnatAttrs>(s, 'snat-entry', opts, req, async () => {
          requireRegion(req.regionId);
          const nat = (await s.r.list<NatAttrs>('nat-gateway', req.regionId)).find(
            (n) => n.attrs.snatTableId === req.snatTableId,
          );
          if (!nat)
            fail('InvalidSnatTableId.NotFound', `The SNAT table ${req.snatTableId} does not exist.`, 404);
          if (statusAt(nat, s.now) !== 'Available')
            fail('IncorrectStatus.NATGW', `The NAT gateway ${nat.id} is not available.`);
          const vsw = await s.r.get<VSwitchAttrs>('vswitch', req.vswitchId);
          if (!vsw || vsw.attrs.vpcId !== nat.attrs.vpcId)
            fail(
              'InvalidVSwitchId.NotFound',
              `The vSwitch ${req.vswitchId} is not in the NAT gateway's VPC.`,
              404,
            );
          const eip = (await s.r.referrers<EipAttrs>(nat.id, 'eip')).find((e) => e.attrs.ip === req.snatIp);
          if (!eip)
            fail(
              'InvalidSnatIp.NotFound',
              `The IP ${req.snatIp} is not an EIP of NAT gateway ${nat.id}.`,
              404,
            );
          if (statusAt(eip, s.now) !== 'InUse')
            fail('IncorrectEipStatus', `The EIP ${eip.id} is still associating.`);
          const entries = await s.r.list<SnatAttrs>('snat-entry', req.regionId, nat.id);
          if (entries.some((e) => e.attrs.vswitchId === req.vswitchId))
            fail(
              'Forbidden.SourceVSwitchId.Duplicated',
              `The vSwitch ${req.vswitchId} already has an SNAT entry.`,
            );
          if (entries.length >= 40)
            fail('Forbidden.SnatEntryCountLimited', 'A NAT gateway has at most 40 SNAT entries.');
          const id = cloudId('snat', idPrefixOf(req.regionId));
          return {
            kind: 'snat-entry',
            id,
            refs: [req.vswitchId, eip.id],
            regionId: req.regionId,
            parentId: nat.id,
            timeline: becomes(s, lat, 'Pending', 'Available', 'snat.create', id),
            attrs: {
              snatTableId: req.snatTableId,
              natGatewayId: nat.id,
              vswitchId: req.vswitchId,
              snatIp: req.snatIp,
            },
          };
        });
        return toSnat(row, s.now);
      }),
    getSnatEntry: (regionId, snatTableId, id) =>
      session.read('DescribeSnatTableEntries', async (r) => {
        const row = await r.get<SnatAttrs>('snat-entry', id);
        return row && row.regionId === regionId && row.attrs.snatTableId === snatTableId
          ? toSnat(row, r.now)
          : null;
      }),
    describeSnatEntries: (regionId, snatTableId) =>
      session.read('DescribeSnatTableEntries', async (r) =>
        (await r.list<SnatAttrs>('snat-entry', regionId))
          .filter((e) => e.attrs.snatTableId === snatTableId)
          .map((e) => toSnat(e, r.now)),
      ),
    deleteSnatEntry: (regionId, snatTableId, id) =>
      session.write('DeleteSnatEntry', async (s) => {
        const e = await s.r.get<SnatAttrs>('snat-entry', id);
        if (!e || e.regionId !== regionId || e.attrs.snatTableId !== snatTableId)
          fail('InvalidSnatEntryId.NotFound', `The SNAT entry ${id} does not exist.`, 404);
        if (statusAt(e, s.now) !== 'Available')
          fail('IncorretSnatEntryStatus', `The SNAT entry ${id} is not available.`);
        await markDeleted(s, e, lat.delayMs('snat.delete', id));
      }),

    // ---- route entries -----------------------------------------------------------------------------
    createRouteEntry: (req, opts) =>
      session.write('CreateRouteEntry', async (s) => {
        const row = await createOnce<RouteAttrs>(s, 'route-entry', opts, req, async () => {
          requireRegion(req.regionId);
          const vpc = await vpcOfRouteTable(s, req.regionId, req.routeTableId);
          const dest = cidrOrFail(req.destinationCidr, 'DestinationCidrBlock');
          if (cidrsOverlap(dest, SHARED_SPACE))
            fail('InvalidDestinationCidrBlock.Malformed', 'The destination may not be in 100.64.0.0/10.');
          const vswitches = await s.r.list<VSwitchAttrs>('vswitch', req.regionId, vpc.id);
          if (vswitches.some((v) => cidrContains(cidrOrFail(v.attrs.cidr), dest)))
            fail(
              'InvalidCIDRBlock.Overlapped',
              `The destination ${req.destinationCidr} is inside a vSwitch of the VPC.`,
            );
          const hop = await s.r.get<{ vpcId: string }>('instance', req.nextHopId);
          if (!hop || hop.attrs.vpcId !== vpc.id)
            fail(
              'InvalidNextHopId.NotFound',
              `The next hop ${req.nextHopId} is not an instance in VPC ${vpc.id}.`,
              404,
            );
          const entries = await s.r.list<RouteAttrs>('route-entry', req.regionId, req.routeTableId);
          if (entries.some((e) => e.attrs.destinationCidr === req.destinationCidr))
            fail(
              'InvalidCIDRBlock.Duplicate',
              `The route table already has an entry for ${req.destinationCidr}.`,
            );
          if (entries.some((e) => statusAt(e, s.now) === 'Pending'))
            fail('IncorrectRouteEntryStatus', 'Another route entry of this table is being created.');
          if (entries.length >= quotaLimit(s.account, 'vpc.route-entries-per-table'))
            fail('QuotaExceeded', 'Route entry quota exceeded in this route table.');
          const id = `rte-${randomText('abcdefghijklmnopqrstuvwxyz0123456789', 20)}`;
          return {
            kind: 'route-entry',
            id,
            refs: [req.nextHopId],
            regionId: req.regionId,
            parentId: req.routeTableId,
            timeline: becomes(s, lat, 'Pending', 'Available', 'route.create', id),
            attrs: {
              routeTableId: req.routeTableId,
              destinationCidr: req.destinationCidr,
              nextHopType: 'Instance',
              nextHopId: req.nextHopId,
            },
          };
        });
        return toRoute(row, s.now);
      }),
    getRouteEntry: (regionId, id) =>
      readOne(session, 'DescribeRouteEntryList', 'route-entry', regionId, id, toRoute),
    describeRouteEntries: (regionId, routeTableId) =>
      session.read('DescribeRouteEntryList', async (r) =>
        (await r.list<RouteAttrs>('route-entry', regionId, routeTableId)).map((e) => toRoute(e, r.now)),
      ),
    deleteRouteEntry: (regionId, id) =>
      session.write('DeleteRouteEntry', async (s) => {
        const e = await s.r.get<RouteAttrs>('route-entry', id);
        if (!e || e.regionId !== regionId)
          fail('InvalidRouteEntry.NotFound', `The route entry ${id} does not exist.`, 404);
        if (statusAt(e, s.now) !== 'Available')
          fail('IncorrectRouteEntryStatus', `The route entry ${id} is not available.`);
        await markDeleted(s, e, lat.delayMs('route.delete', id));
      }),
  };
}
