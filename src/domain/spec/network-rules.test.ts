// Tests for the network fields of a ClusterSpec (M21–M31, M8): VPC and vSwitches with the VPC's
// facts, plugin fields, Pod and Service CIDR overlaps, SNAT, exposure, RDS and security group.
import { describe, expect, it } from 'vitest';
import {
  allFacts,
  check,
  existingVpcFacts,
  pairs,
  PRIVATE_API,
  recorded,
  row,
  set,
  spec,
  table,
  unrendered,
  unset,
  useExistingVpc,
  useTerway,
  VPC_ID,
  runCase,
} from './spec-fixtures.js';

const facts = allFacts();
const sharedVpc = set('network.vpc.kind', 'shared');
const sharedFacts = allFacts({ vpc: existingVpcFacts({ kind: 'shared' }) });
const create = (zoneId: string, cidr: string) => ({ mode: 'create', zoneId, cidr });

describe('M21 VPC', () => {
  it.each(
    table([
      row('M21 VPC: a new private VPC is allowed', set('network.vpc.cidr', '192.168.0.0/16')),
      row('M21 VPC: an existing normal VPC is allowed', useExistingVpc, [], { facts }),
      row('M21 VPC: a shared VPC with Terway is allowed', [useExistingVpc, sharedVpc, useTerway], [], {
        facts: sharedFacts,
      }),
      row(
        'M21 VPC: a shared VPC with Flannel is refused',
        [useExistingVpc, sharedVpc],
        ['network.plugin SPEC_SHARED_VPC_REQUIRES_TERWAY'],
        { facts: sharedFacts },
      ),
      row(
        'M21 VPC: a shared VPC with Flannel is refused even without facts',
        [useExistingVpc, sharedVpc],
        ['network.plugin SPEC_SHARED_VPC_REQUIRES_TERWAY'],
      ),
      row(
        'M21 VPC: a new public VPC block is refused',
        [set('network.vpc.cidr', '8.8.0.0/16'), set('network.vswitches[0].cidr', '8.8.0.0/24')],
        ['network.vpc.cidr NET_CIDR_NOT_PRIVATE'],
      ),
      row('M21 VPC: a VPC kind with a new VPC does not apply', set('network.vpc.kind', 'normal'), [
        'network.vpc.kind SPEC_NOT_APPLICABLE',
      ]),
      row(
        'M21 VPC: an existing VPC in another region is refused',
        useExistingVpc,
        ['network.vpc.vpcId SPEC_VPC_OTHER_REGION'],
        {
          facts: allFacts({ vpc: existingVpcFacts({ regionId: 'cn-beijing' }) }),
        },
      ),
      row(
        'M21 VPC: an existing VPC given the wrong kind is refused',
        [useExistingVpc, sharedVpc, useTerway],
        ['network.vpc.kind SPEC_VPC_KIND_MISMATCH'],
        { facts },
      ),
      row(
        'M21 VPC: an existing VPC without its id is required',
        [useExistingVpc, unset('network.vpc.vpcId')],
        ['network.vpc.vpcId SPEC_REQUIRED'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M21 VPC: an id alone means an existing normal VPC', () => {
    const result = check(
      spec(set('network.vpc', { vpcId: VPC_ID }), set('network.vswitches', [{ vswitchId: 'vsw-i' }])),
    );
    expect(result.spec.network.vpc).toEqual({ mode: 'existing', vpcId: VPC_ID, kind: 'normal' });
    expect(result.spec.network.vswitches).toEqual([{ mode: 'existing', vswitchId: 'vsw-i' }]);
  });
});

describe('M22 vSwitches', () => {
  it.each(
    table([
      row(
        'M22 vSwitches: three new ones in distinct zones are allowed',
        set('network.vswitches', [
          create('cn-hangzhou-i', '192.168.0.0/24'),
          create('cn-hangzhou-h', '192.168.1.0/24'),
          create('cn-hangzhou-j', '192.168.2.0/24'),
        ]),
        [],
        { facts: allFacts({ stock: undefined }) },
      ),
      row('M22 vSwitches: none is refused', set('network.vswitches', []), [
        'network.vswitches SPEC_VSWITCHES_REQUIRED',
      ]),
      row('M22 vSwitches: missing is refused', unset('network.vswitches'), [
        'network.vswitches SPEC_VSWITCHES_REQUIRED',
      ]),
      row(
        'M22 vSwitches: four are refused',
        set('network.vswitches', [
          create('cn-hangzhou-i', '192.168.0.0/24'),
          create('cn-hangzhou-h', '192.168.1.0/24'),
          create('cn-hangzhou-j', '192.168.2.0/24'),
          create('cn-hangzhou-k', '192.168.3.0/24'),
        ]),
        ['network.vswitches SPEC_TOO_MANY'],
      ),
      row(
        'M22 vSwitches: two new ones in one zone are refused',
        set('network.vswitches', [
          create('cn-hangzhou-i', '192.168.0.0/24'),
          create('cn-hangzhou-i', '192.168.1.0/24'),
        ]),
        ['network.vswitches[1] SPEC_VSWITCH_ZONE_REPEATED'],
      ),
      row(
        'M22 vSwitches: an existing one and a new one in distinct zones are allowed',
        [useExistingVpc, set('network.vswitches[1]', create('cn-hangzhou-j', '192.168.2.0/24'))],
        [],
        { facts },
      ),
      row(
        'M22 vSwitches: a new one in the zone of an existing one (zone from the VPC facts) is refused',
        [useExistingVpc, set('network.vswitches[1]', create('cn-hangzhou-i', '192.168.2.0/24'))],
        ['network.vswitches[1] SPEC_VSWITCH_ZONE_REPEATED'],
        { facts },
      ),
      row(
        'M22 vSwitches: two existing ones in one zone are refused',
        [useExistingVpc, set('network.vswitches[1]', { vswitchId: 'vsw-i2' })],
        ['network.vswitches[1] SPEC_VSWITCH_ZONE_REPEATED'],
        {
          facts: allFacts({
            vpc: existingVpcFacts({
              vswitches: [
                { vswitchId: 'vsw-i', zoneId: 'cn-hangzhou-i', cidr: '192.168.0.0/24' },
                { vswitchId: 'vsw-i2', zoneId: 'cn-hangzhou-i', cidr: '192.168.1.0/24' },
              ],
            }),
          }),
        },
      ),
      row(
        'M22 vSwitches: an existing one with a new VPC is refused',
        set('network.vswitches', [{ vswitchId: 'vsw-i' }]),
        ['network.vswitches[0] SPEC_VSWITCH_NEEDS_EXISTING_VPC'],
      ),
      row(
        'M22 vSwitches: an existing one missing from the VPC is refused',
        [useExistingVpc, set('network.vswitches[0].vswitchId', 'vsw-gone')],
        ['network.vswitches[0].vswitchId SPEC_VSWITCH_UNKNOWN'],
        { facts },
      ),
      row(
        'M22 vSwitches: a zone outside the region is refused',
        set('network.vswitches[0].zoneId', 'cn-beijing-a'),
        ['network.vswitches[0].zoneId SPEC_ZONE_UNKNOWN'],
        { facts: allFacts({ stock: undefined }) },
      ),
      row(
        'M22 vSwitches: a new one outside the VPC is refused',
        set('network.vswitches[0].cidr', '10.0.0.0/24'),
        ['network.vswitches[0].cidr NET_CIDR_OUTSIDE_VPC'],
      ),
      row(
        'M22 vSwitches: new ones that overlap each other are refused',
        set('network.vswitches', [
          create('cn-hangzhou-i', '192.168.0.0/24'),
          create('cn-hangzhou-h', '192.168.0.0/25'),
        ]),
        ['network.vswitches[1].cidr NET_CIDR_OVERLAP'],
      ),
      row(
        'M22 vSwitches: a new one over an existing vSwitch of the VPC is refused',
        [useExistingVpc, set('network.vswitches[1]', create('cn-hangzhou-j', '192.168.1.0/24'))],
        ['network.vswitches[1].cidr NET_CIDR_OVERLAP'],
        { facts },
      ),
      row('M22 vSwitches: a new one without a zone is required', unset('network.vswitches[0].zoneId'), [
        'network.vswitches[0].zoneId SPEC_REQUIRED',
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M22 vSwitches: without the provider regions any zone is accepted (checked later)', () => {
    expect(check(spec(set('network.vswitches[0].zoneId', 'cn-hangzhou-z'))).ok).toBe(true);
  });

  it('M22 vSwitches: the zone refusal lists the zones of the region', () => {
    const result = check(
      spec(set('network.vswitches[0].zoneId', 'cn-beijing-a')),
      allFacts({ stock: undefined }),
    );
    expect(result.problems[0]?.params).toEqual({
      value: 'cn-beijing-a',
      allowed: ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j'],
    });
  });
});

describe('M23 plugin and M24 node IP count', () => {
  it.each(
    table([
      row('M23 plugin: Terway is allowed', useTerway),
      row('M23 plugin: Flannel is allowed', set('network.plugin', 'flannel')),
      row('M23 plugin: calico is refused', set('network.plugin', 'calico'), ['network.plugin SPEC_ENUM']),
      row(
        'M23 plugin: a Pod CIDR with Terway does not apply',
        [useTerway, set('network.podCidr', '172.20.0.0/16')],
        ['network.podCidr SPEC_NOT_APPLICABLE'],
      ),
      row(
        'M23 plugin: a node IP count with Terway does not apply',
        [useTerway, set('network.nodeIpCount', 64)],
        ['network.nodeIpCount SPEC_NOT_APPLICABLE'],
      ),
      row('M23 plugin: a Terway mode with Flannel does not apply', set('network.terwayMode', 'shared-eni'), [
        'network.terwayMode SPEC_NOT_APPLICABLE',
      ]),
      row('M23 plugin: Flannel needs a Pod CIDR', unset('network.podCidr'), [
        'network.podCidr SPEC_REQUIRED',
      ]),
      row('M24 node IP count: 16 is allowed', set('network.nodeIpCount', 16)),
      row('M24 node IP count: 256 is allowed', set('network.nodeIpCount', 256)),
      row('M24 node IP count: 100 is refused', set('network.nodeIpCount', 100), [
        'network.nodeIpCount NET_NODE_IP_COUNT',
      ]),
      row('M24 node IP count: 0 is refused', set('network.nodeIpCount', 0), [
        'network.nodeIpCount NET_NODE_IP_COUNT',
      ]),
      row('M24 node IP count: a fraction is a type error', set('network.nodeIpCount', 64.5), [
        'network.nodeIpCount SPEC_TYPE',
      ]),
      row(
        'M24 node IP count: a Pod CIDR too small for 16 nodes is refused',
        set('network.podCidr', '172.20.0.0/24'),
        ['network.podCidr NET_POD_CIDR_TOO_SMALL'],
      ),
      row('M24 node IP count: 16 IPs per node fit 16 nodes in a /20', [
        set('network.nodeIpCount', 16),
        set('network.podCidr', '172.20.0.0/20'),
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M24 node IP count: 64 is the Flannel default; Terway has none', () => {
    expect(check(spec()).spec.network.nodeIpCount).toBe(64);
    const terway = check(spec(useTerway)).spec.network;
    expect([terway.nodeIpCount, terway.podCidr, terway.terwayMode]).toEqual([null, null, 'shared-eni']);
  });
});

describe('M25 Pod CIDR', () => {
  it.each(
    table([
      row(
        'M25 Pod CIDR: a private block clear of everything is allowed',
        set('network.podCidr', '10.0.0.0/8'),
      ),
      row(
        'M25 Pod CIDR: overlapping the VPC and its vSwitch is refused',
        set('network.podCidr', '192.168.0.0/16'),
        ['network.podCidr NET_CIDR_OVERLAP', 'network.podCidr NET_CIDR_OVERLAP'],
      ),
      row('M25 Pod CIDR: overlapping the VPC only is refused', set('network.podCidr', '192.168.128.0/17'), [
        'network.podCidr NET_CIDR_OVERLAP',
      ]),
      row(
        'M25 Pod CIDR: overlapping the Service CIDR is refused (on both fields)',
        set('network.podCidr', '172.21.0.0/16'),
        ['network.podCidr NET_CIDR_OVERLAP', 'network.serviceCidr NET_CIDR_OVERLAP'],
      ),
      row(
        'M25 Pod CIDR: overlapping another cluster of the VPC is refused',
        [useExistingVpc, set('network.podCidr', '172.30.0.0/16')],
        ['network.podCidr NET_CIDR_OVERLAP'],
        { facts },
      ),
      row(
        "M25 Pod CIDR: overlapping another cluster's Service CIDR is refused",
        [useExistingVpc, set('network.podCidr', '172.31.0.0/16')],
        ['network.podCidr NET_CIDR_OVERLAP'],
        { facts },
      ),
      row('M25 Pod CIDR: clear of the other cluster of the VPC is allowed', useExistingVpc, [], { facts }),
      row('M25 Pod CIDR: a public block is refused', set('network.podCidr', '8.8.0.0/16'), [
        'network.podCidr NET_CIDR_NOT_PRIVATE',
      ]),
      row('M25 Pod CIDR: host bits set are refused', set('network.podCidr', '172.20.0.1/16'), [
        'network.podCidr NET_CIDR_NOT_CANONICAL',
      ]),
      row('M25 Pod CIDR: not a CIDR is refused', set('network.podCidr', '172.20.0.0'), [
        'network.podCidr NET_CIDR_INVALID',
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M25 Pod CIDR: each overlap names what it overlaps', () => {
    const vpc = check(spec(set('network.podCidr', '192.168.0.0/16'))).problems.map(
      (p) => p.params.otherLabel,
    );
    expect(vpc).toEqual(['VPC', 'network.vswitches[0]']);
    const service = check(spec(set('network.podCidr', '172.21.0.0/16'))).problems.map(
      (p) => p.params.otherLabel,
    );
    expect(service).toEqual(['Service CIDR', 'Pod CIDR']);
    const other = check(spec(useExistingVpc, set('network.podCidr', '172.30.0.0/16')), facts).problems;
    expect(other[0]?.params).toEqual({
      value: '172.30.0.0/16',
      other: '172.30.0.0/16',
      otherLabel: 'cluster c-other Pod CIDR',
    });
  });

  it('M25 Pod CIDR: an existing vSwitch of an unknown VPC is still kept clear of a new vSwitch', () => {
    // Without VPC facts the VPC block is unknown, but the new vSwitch's block is not.
    const result = check(
      spec(set('network.vpc', { vpcId: 'vpc-unknown' }), set('network.podCidr', '192.168.0.0/16')),
    );
    expect(result.problems.map((p) => p.params.otherLabel)).toEqual(['network.vswitches[0]']);
  });
});

describe('M26 Terway mode', () => {
  const allowed = allFacts({
    account: {
      allowlists: { exclusiveEni: true, customImage: false, workflowEngine: false },
      resourceGroupIds: [],
    },
  });
  it.each(
    table([
      row(
        'M26 Terway: a shared ENI is allowed for every account',
        [useTerway, set('network.terwayMode', 'shared-eni')],
        [],
        { facts },
      ),
      row(
        'M26 Terway: an exclusive ENI is allowed for an allow-listed account',
        [useTerway, set('network.terwayMode', 'exclusive-eni')],
        [],
        { facts: allowed },
      ),
      row(
        'M26 Terway: an exclusive ENI is refused for other accounts',
        [useTerway, set('network.terwayMode', 'exclusive-eni')],
        ['network.terwayMode SPEC_EXCLUSIVE_ENI_NOT_ALLOWED'],
        { facts },
      ),
      row(
        'M26 Terway: an unknown mode is refused',
        [useTerway, set('network.terwayMode', 'ipvlan')],
        ['network.terwayMode SPEC_ENUM'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M26 Terway: without account facts the exclusive ENI is accepted (checked later)', () => {
    expect(check(spec(useTerway, set('network.terwayMode', 'exclusive-eni'))).ok).toBe(true);
  });
});

describe('M27 Service CIDR', () => {
  it.each(
    table([
      row('M27 Service CIDR: the default 172.21.0.0/20 is used when omitted', unset('network.serviceCidr')),
      row('M27 Service CIDR: a /24 is allowed', set('network.serviceCidr', '172.21.0.0/24')),
      row(
        'M27 Service CIDR: overlapping the VPC and its vSwitch is refused',
        set('network.serviceCidr', '192.168.0.0/20'),
        ['network.serviceCidr NET_CIDR_OVERLAP', 'network.serviceCidr NET_CIDR_OVERLAP'],
      ),
      row(
        'M27 Service CIDR: overlapping the Pod CIDR is refused (on both fields)',
        set('network.serviceCidr', '172.20.0.0/20'),
        ['network.podCidr NET_CIDR_OVERLAP', 'network.serviceCidr NET_CIDR_OVERLAP'],
      ),
      row(
        'M27 Service CIDR: overlapping another cluster of the VPC is refused',
        [useExistingVpc, set('network.serviceCidr', '172.31.0.0/20')],
        ['network.serviceCidr NET_CIDR_OVERLAP'],
        { facts },
      ),
      row('M27 Service CIDR: a /25 is refused', set('network.serviceCidr', '172.21.0.0/25'), [
        'network.serviceCidr NET_CIDR_PREFIX_RANGE',
      ]),
      row('M27 Service CIDR: a /12 is refused', set('network.serviceCidr', '172.16.0.0/12'), [
        'network.serviceCidr NET_CIDR_PREFIX_RANGE',
        'network.podCidr NET_CIDR_OVERLAP',
        'network.serviceCidr NET_CIDR_OVERLAP',
      ]),
      row('M27 Service CIDR: a public block is refused', set('network.serviceCidr', '8.8.0.0/20'), [
        'network.serviceCidr NET_CIDR_NOT_PRIVATE',
      ]),
      row('M27 Service CIDR: host bits set are refused', set('network.serviceCidr', '172.21.0.1/20'), [
        'network.serviceCidr NET_CIDR_NOT_CANONICAL',
      ]),
      row(
        'M27 Service CIDR: Terway checks it too',
        [useTerway, set('network.serviceCidr', '192.168.0.0/20')],
        ['network.serviceCidr NET_CIDR_OVERLAP', 'network.serviceCidr NET_CIDR_OVERLAP'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M27 Service CIDR: an invalid plugin does not stop the Service CIDR check', () => {
    const result = check(spec(set('network.plugin', 'calico'), set('network.serviceCidr', '8.8.0.0/20')));
    expect(pairs(result.problems)).toEqual([
      'network.plugin SPEC_ENUM',
      'network.serviceCidr NET_CIDR_NOT_PRIVATE',
    ]);
  });
});

describe('M28 SNAT', () => {
  const snatOff = set('network.snat', false);
  const SNAT_WARNING = 'network.snat SPEC_SNAT_OFF_NO_INTERNET';
  it.each(
    table([
      row('M28 SNAT: on is the default and never warns', unset('network.snat'), [], {
        warnings: [PRIVATE_API],
      }),
      row('M28 SNAT: off with a new VPC warns (no way out) but does not refuse', snatOff, [], {
        warnings: [SNAT_WARNING, PRIVATE_API],
      }),
      row(
        'M28 SNAT: off with an existing VPC that has a NAT gateway does not warn',
        [useExistingVpc, snatOff],
        [],
        {
          facts,
          warnings: [PRIVATE_API],
        },
      ),
      row(
        'M28 SNAT: off with an existing VPC routed to the internet another way does not warn',
        [useExistingVpc, snatOff],
        [],
        {
          facts: allFacts({ vpc: existingVpcFacts({ natGatewayId: null, hasInternetRoute: true }) }),
          warnings: [PRIVATE_API],
        },
      ),
      row('M28 SNAT: off with an existing VPC without any way out warns', [useExistingVpc, snatOff], [], {
        facts: allFacts({ vpc: existingVpcFacts({ natGatewayId: null, hasInternetRoute: false }) }),
        warnings: [SNAT_WARNING, PRIVATE_API],
      }),
      row(
        'M28 SNAT: off with an existing VPC of unknown routes does not warn',
        [useExistingVpc, snatOff],
        [],
        {
          warnings: [PRIVATE_API],
        },
      ),
      row('M28 SNAT: a string is a type error', set('network.snat', 'off'), ['network.snat SPEC_TYPE']),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('M29 API server access and M8 public SSH', () => {
  it.each(
    table([
      row(
        'M29 API server: public access through an EIP is allowed and does not warn',
        set('network.apiServer.publicAccess', true),
        [],
        {
          warnings: [],
        },
      ),
      row(
        'M29 API server: private only is allowed with a warning about its SLB',
        set('network.apiServer.publicAccess', false),
        [],
        {
          warnings: [PRIVATE_API],
        },
      ),
      row('M29 API server: another SLB spec is allowed', set('network.apiServer.slbSpec', 'slb.s2.small')),
      row('M29 API server: an unknown SLB spec is refused', set('network.apiServer.slbSpec', 'slb.s9.huge'), [
        'network.apiServer.slbSpec SPEC_ENUM',
      ]),
      row('M8 SSH: public SSH with a public API server is allowed', [
        set('network.apiServer.publicAccess', true),
        set('network.sshPublicAccess', true),
      ]),
      row('M8 SSH: public SSH without a public API server is refused', set('network.sshPublicAccess', true), [
        'network.sshPublicAccess SPEC_SSH_NEEDS_PUBLIC_ACCESS',
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('M30 RDS whitelist', () => {
  it.each(
    table([
      row(
        'M30 RDS: an instance of the region is allowed',
        set('network.rdsInstanceIds', ['rm-bp1hangzhou']),
        [],
        { facts },
      ),
      row(
        'M30 RDS: a malformed id is refused',
        set('network.rdsInstanceIds', ['db-1']),
        ['network.rdsInstanceIds[0] SPEC_RDS_ID_INVALID'],
        {
          facts,
        },
      ),
      row(
        'M30 RDS: an unknown instance is refused',
        set('network.rdsInstanceIds', ['rm-bp1nowhere']),
        ['network.rdsInstanceIds[0] SPEC_RDS_UNKNOWN'],
        { facts },
      ),
      row(
        'M30 RDS: an instance of another region is refused',
        set('network.rdsInstanceIds', ['rm-2zebeijing']),
        ['network.rdsInstanceIds[0] SPEC_RDS_OTHER_REGION'],
        { facts },
      ),
      row(
        'M30 RDS: a repeated instance is refused',
        set('network.rdsInstanceIds', ['rm-bp1hangzhou', 'rm-bp1hangzhou']),
        ['network.rdsInstanceIds[1] SPEC_DUPLICATE'],
        { facts },
      ),
      row(
        'M30 RDS: more than 20 are refused',
        set(
          'network.rdsInstanceIds',
          Array.from({ length: 21 }, (_, i) => `rm-bp1abc${100 + i}`),
        ),
        ['network.rdsInstanceIds SPEC_TOO_MANY'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M30 RDS: without RDS facts a well-formed id is accepted (checked later)', () => {
    expect(check(spec(set('network.rdsInstanceIds', ['rm-bp1anything']))).ok).toBe(true);
  });
});

describe('M31 security group', () => {
  it.each(
    table([
      row('M31 security group: auto-created normal is the default', unset('network.securityGroup')),
      row(
        'M31 security group: auto-created enterprise is allowed',
        set('network.securityGroup', { type: 'enterprise' }),
      ),
      row(
        'M31 security group: an unknown type is refused',
        set('network.securityGroup', { type: 'premium' }),
        ['network.securityGroup.type SPEC_ENUM'],
      ),
      row(
        'M31 security group: an existing group of the VPC is allowed',
        [useExistingVpc, set('network.securityGroup', { securityGroupId: 'sg-bp1existing' })],
        [],
        { facts },
      ),
      row(
        'M31 security group: an existing group missing from the VPC is refused',
        [useExistingVpc, set('network.securityGroup', { securityGroupId: 'sg-bp1gone' })],
        ['network.securityGroup.securityGroupId SPEC_SECURITY_GROUP_UNKNOWN'],
        { facts },
      ),
      row(
        'M31 security group: an existing group with a new VPC is refused',
        set('network.securityGroup', { securityGroupId: 'sg-bp1existing' }),
        ['network.securityGroup SPEC_SECURITY_GROUP_NEEDS_EXISTING_VPC'],
      ),
      row(
        'M31 security group: an existing group without its id is required',
        set('network.securityGroup', { mode: 'existing' }),
        ['network.securityGroup.securityGroupId SPEC_REQUIRED'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('messages of this file', () => {
  it('M21–M31 every problem and warning produced above renders in en and zh-CN', () => {
    expect(recorded.length).toBeGreaterThan(50);
    expect(unrendered(recorded)).toEqual([]);
  });
});
