// Tests for the worker fields of a ClusterSpec (M40–M53): existing instances, billing, instance
// types and stock, disks, OS, login, protection, user data, custom image, node names, CPU policy
// and taints; each rule with a passing and a failing row.
import { describe, expect, it } from 'vitest';
import { checkPassword } from './password.js';
import {
  allFacts,
  check,
  existingVpcFacts,
  PRIVATE_API,
  recorded,
  row,
  set,
  spec,
  table,
  unrendered,
  unset,
  useExistingInstances,
  useExistingVpc,
  usePassword,
  type Json,
  runCase,
} from './spec-fixtures.js';

const facts = allFacts();
const I = 'workers.instances';

describe('M40 existing instances', () => {
  it.each(
    table([
      row(
        'M40 existing instances: free instances of the region and VPC are allowed',
        [useExistingVpc, useExistingInstances('i-bp1free0001', 'i-bp1free0002')],
        [],
        { facts },
      ),
      row(
        'M40 existing instances: an unknown instance is refused',
        [useExistingVpc, useExistingInstances('i-bp1unknown1')],
        [`${I}.instanceIds[0] SPEC_INSTANCE_UNKNOWN`],
        { facts },
      ),
      row(
        'M40 existing instances: an instance of another region is refused',
        [useExistingVpc, useExistingInstances('i-2zebeijing01')],
        [`${I}.instanceIds[0] SPEC_INSTANCE_OTHER_REGION`],
        { facts },
      ),
      row(
        'M40 existing instances: an instance in another cluster is refused',
        [useExistingVpc, useExistingInstances('i-bp1taken001')],
        [`${I}.instanceIds[0] SPEC_INSTANCE_IN_CLUSTER`],
        { facts },
      ),
      row(
        'M40 existing instances: an instance of another VPC is refused',
        [useExistingVpc, useExistingInstances('i-bp1othervpc')],
        [`${I}.instanceIds[0] SPEC_INSTANCE_OTHER_VPC`],
        { facts },
      ),
      row(
        'M40 existing instances: a repeated instance is refused',
        [useExistingVpc, useExistingInstances('i-bp1free0001', 'i-bp1free0001')],
        [`${I}.instanceIds[1] SPEC_DUPLICATE`],
        { facts },
      ),
      row(
        'M40 existing instances: a malformed id is refused',
        [useExistingVpc, useExistingInstances('ecs-1')],
        [`${I}.instanceIds[0] SPEC_INSTANCE_ID_INVALID`],
      ),
      row(
        'M40 existing instances: none is refused',
        [useExistingVpc, useExistingInstances()],
        [`${I}.instanceIds SPEC_INSTANCES_REQUIRED`],
      ),
      row('M40 existing instances: with a new VPC are refused', useExistingInstances('i-bp1free0001'), [
        `${I} SPEC_INSTANCES_NEED_EXISTING_VPC`,
      ]),
      row(
        'M40 existing instances: billing and instance types do not apply',
        [
          useExistingVpc,
          set(I, {
            mode: 'existing',
            instanceIds: ['i-bp1free0001'],
            billing: { type: 'pay-as-you-go' },
            instanceTypes: ['ecs.gn7i-c8g1.2xlarge'],
          }),
        ],
        [`${I}.billing SPEC_NOT_APPLICABLE`, `${I}.instanceTypes SPEC_NOT_APPLICABLE`],
        { facts },
      ),
      row(
        'M40 existing instances: count and disks do not apply',
        [useExistingVpc, set(I, { instanceIds: ['i-bp1free0001'], count: 2, systemDisk: {}, dataDisks: [] })],
        [
          `${I}.count SPEC_NOT_APPLICABLE`,
          `${I}.systemDisk SPEC_NOT_APPLICABLE`,
          `${I}.dataDisks SPEC_NOT_APPLICABLE`,
        ],
        {
          facts,
        },
      ),
      row('M40 new instances: instance ids do not apply', set(`${I}.instanceIds`, ['i-bp1free0001']), [
        `${I}.instanceIds SPEC_NOT_APPLICABLE`,
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M40 existing instances: ids alone mean existing instances', () => {
    const result = check(spec(useExistingVpc, set(I, { instanceIds: ['i-bp1free0001'] })), facts);
    expect(result.spec.workers.instances).toEqual({ mode: 'existing', instanceIds: ['i-bp1free0001'] });
  });
});

describe('M41 billing', () => {
  const sub = (period: number, periodUnit: string): Json => ({
    type: 'subscription',
    period,
    periodUnit,
    autoRenew: true,
  });
  it.each(
    table([
      row('M41 billing: pay-as-you-go is the default', unset(`${I}.billing`)),
      ...[1, 2, 3, 6].map((n) =>
        row(`M41 billing: a ${n}-month subscription is allowed`, set(`${I}.billing`, sub(n, 'month'))),
      ),
      ...[1, 2, 3, 4, 5].map((n) =>
        row(`M41 billing: a ${n}-year subscription is allowed`, set(`${I}.billing`, sub(n, 'year'))),
      ),
      row('M41 billing: a 4-month subscription is refused', set(`${I}.billing`, sub(4, 'month')), [
        `${I}.billing.period SPEC_SUBSCRIPTION_PERIOD`,
      ]),
      row(
        'M41 billing: a 12-month subscription is refused (choose 1 year)',
        set(`${I}.billing`, sub(12, 'month')),
        [`${I}.billing.period SPEC_SUBSCRIPTION_PERIOD`],
      ),
      row('M41 billing: a 6-year subscription is refused', set(`${I}.billing`, sub(6, 'year')), [
        `${I}.billing.period SPEC_SUBSCRIPTION_PERIOD`,
      ]),
      row('M41 billing: a 0-month subscription is refused', set(`${I}.billing`, sub(0, 'month')), [
        `${I}.billing.period SPEC_OUT_OF_RANGE`,
      ]),
      row('M41 billing: a subscription needs a period', set(`${I}.billing`, { type: 'subscription' }), [
        `${I}.billing.period SPEC_REQUIRED`,
      ]),
      row('M41 billing: a week is not a unit', set(`${I}.billing`, sub(1, 'week')), [
        `${I}.billing.periodUnit SPEC_ENUM`,
      ]),
      row(
        'M41 billing: a period with pay-as-you-go does not apply',
        set(`${I}.billing`, { type: 'pay-as-you-go', period: 1 }),
        [`${I}.billing.period SPEC_NOT_APPLICABLE`],
      ),
      row('M41 billing: an unknown billing type is refused', set(`${I}.billing`, { type: 'spot' }), [
        `${I}.billing.type SPEC_ENUM`,
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M41 billing: the refusal lists the allowed periods of the unit', () => {
    const result = check(spec(set(`${I}.billing`, sub(6, 'year'))));
    expect(result.problems[0]?.params).toEqual({
      value: 6,
      unit: 'year',
      allowed: ['1', '2', '3', '4', '5'],
    });
  });
});

describe('M42 instance types and M43 count', () => {
  const outOfStock = allFacts({
    stock: {
      'cn-hangzhou-i': ['ecs.gn6i-c4g1.xlarge'],
      'cn-hangzhou-j': ['ecs.gn7i-c8g1.2xlarge'],
      'cn-hangzhou-h': ['ecs.gn7i-c8g1.2xlarge'],
      'cn-hangzhou-k': [],
    },
  });
  it.each(
    table([
      row('M42 instance types: a GPU type with stock in the chosen zone is allowed', [], [], { facts }),
      row(
        'M42 instance types: several types are allowed',
        set(`${I}.instanceTypes`, ['ecs.gn7i-c8g1.2xlarge', 'ecs.gn6i-c4g1.xlarge']),
        [],
        {
          facts,
        },
      ),
      row('M42 instance types: an FPGA type is allowed', set(`${I}.instanceTypes`, ['ecs.f3-c16f1.4xlarge'])),
      row('M42 instance types: an unknown type is refused', set(`${I}.instanceTypes`, ['ecs.g7.large']), [
        `${I}.instanceTypes[0] SPEC_INSTANCE_TYPE_UNKNOWN`,
      ]),
      row(
        'M42 instance types: a type below the worker minimum is refused',
        set(`${I}.instanceTypes`, ['ecs.gn5i-c2g1.large']),
        [`${I}.instanceTypes[0] SPEC_INSTANCE_TYPE_TOO_SMALL`],
      ),
      row(
        'M42 instance types: a repeated type is refused',
        set(`${I}.instanceTypes`, ['ecs.gn7i-c8g1.2xlarge', 'ecs.gn7i-c8g1.2xlarge']),
        [`${I}.instanceTypes[1] SPEC_DUPLICATE`],
      ),
      row('M42 instance types: none is refused', set(`${I}.instanceTypes`, []), [
        `${I}.instanceTypes SPEC_INSTANCE_TYPES_REQUIRED`,
      ]),
      row(
        'M42 instance types: no stock in the chosen zones is refused',
        [],
        [`${I}.instanceTypes SPEC_NO_STOCK`],
        {
          facts: outOfStock,
        },
      ),
      row(
        'M42 instance types: stock in one of the chosen zones is enough',
        set('network.vswitches[1]', {
          zoneId: 'cn-hangzhou-j',
          cidr: '192.168.1.0/24',
        }),
        [],
        { facts: outOfStock },
      ),
      row(
        'M42 instance types: stock of any chosen type is enough',
        set(`${I}.instanceTypes`, ['ecs.gn7i-c8g1.2xlarge', 'ecs.gn6i-c4g1.xlarge']),
        [],
        { facts: outOfStock },
      ),
      row('M43 count: 1 is allowed', set(`${I}.count`, 1)),
      row('M43 count: 100 is allowed', set(`${I}.count`, 100)),
      row('M43 count: 0 is refused', set(`${I}.count`, 0), [`${I}.count SPEC_OUT_OF_RANGE`]),
      row('M43 count: 101 is refused', set(`${I}.count`, 101), [`${I}.count SPEC_OUT_OF_RANGE`]),
      row('M43 count: 2.5 is a type error', set(`${I}.count`, 2.5), [`${I}.count SPEC_TYPE`]),
      row('M43 count: missing is required', unset(`${I}.count`), [`${I}.count SPEC_REQUIRED`]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M42 instance types: no stock suggests the zones that have it', () => {
    const result = check(spec(), outOfStock);
    expect(result.problems[0]?.params).toEqual({
      types: ['ecs.gn7i-c8g1.2xlarge'],
      zones: ['cn-hangzhou-i'],
      suggestedZones: ['cn-hangzhou-h', 'cn-hangzhou-j'],
    });
  });

  it('M42 instance types: the zone of an existing vSwitch counts for stock', () => {
    const facts2 = allFacts({ stock: { 'cn-hangzhou-i': [], 'cn-hangzhou-h': ['ecs.gn7i-c8g1.2xlarge'] } });
    const result = check(spec(useExistingVpc), facts2);
    expect(result.problems[0]?.params).toMatchObject({
      zones: ['cn-hangzhou-i'],
      suggestedZones: ['cn-hangzhou-h'],
    });
  });

  it('M42 instance types: too small names the minimum', () => {
    const result = check(spec(set(`${I}.instanceTypes`, ['ecs.gn5i-c2g1.large'])));
    expect(result.problems[0]?.params).toEqual({
      value: 'ecs.gn5i-c2g1.large',
      vcpu: 2,
      memoryGiB: 8,
      minVcpu: 4,
      minMemoryGiB: 8,
    });
  });
});

describe('M44 system disk and M45 data disks', () => {
  const sys = (disk: Json) => set(`${I}.systemDisk`, disk);
  const data = (...disks: Json[]) => set(`${I}.dataDisks`, disks);
  const essd = (sizeGiB: number, performanceLevel: string): Json => ({
    category: 'essd',
    sizeGiB,
    performanceLevel,
  });
  it.each(
    table([
      row('M44 system disk: the default ESSD PL1 120 GiB is allowed', unset(`${I}.systemDisk`)),
      row('M44 system disk: PL2 at 460 GiB is refused', sys(essd(460, 'PL2')), [
        `${I}.systemDisk.performanceLevel SPEC_DISK_LEVEL_SIZE`,
      ]),
      row('M44 system disk: PL2 at 461 GiB is allowed', sys(essd(461, 'PL2'))),
      row('M44 system disk: PL3 at 1260 GiB is refused', sys(essd(1260, 'PL3')), [
        `${I}.systemDisk.performanceLevel SPEC_DISK_LEVEL_SIZE`,
      ]),
      row('M44 system disk: PL3 at 1261 GiB is allowed', sys(essd(1261, 'PL3'))),
      row('M44 system disk: PL0 at 40 GiB is allowed', sys(essd(40, 'PL0'))),
      row(
        'M44 system disk: a performance level on SSD is refused',
        sys({ category: 'ssd', sizeGiB: 100, performanceLevel: 'PL1' }),
        [`${I}.systemDisk.performanceLevel SPEC_DISK_LEVEL_NOT_ESSD`],
      ),
      row('M44 system disk: SSD without a level is allowed', sys({ category: 'ssd', sizeGiB: 100 })),
      row(
        'M44 system disk: an ultra disk with backup is allowed',
        sys({ category: 'ultra', sizeGiB: 100, backup: true }),
      ),
      row('M44 system disk: 40 GiB is allowed', sys({ sizeGiB: 40 })),
      row('M44 system disk: 2048 GiB is allowed', sys({ sizeGiB: 2048 })),
      row('M44 system disk: 39 GiB is refused', sys({ sizeGiB: 39 }), [
        `${I}.systemDisk.sizeGiB SPEC_DISK_SIZE`,
      ]),
      row('M44 system disk: 2049 GiB is refused', sys({ sizeGiB: 2049 }), [
        `${I}.systemDisk.sizeGiB SPEC_DISK_SIZE`,
      ]),
      row('M44 system disk: PL4 is not a level', sys(essd(2000, 'PL4')), [
        `${I}.systemDisk.performanceLevel SPEC_ENUM`,
      ]),
      row('M44 system disk: a magnetic disk is not offered', sys({ category: 'cloud', sizeGiB: 100 }), [
        `${I}.systemDisk.category SPEC_ENUM`,
      ]),
      row(
        'M44 system disk: encryption does not apply to the system disk',
        sys({ sizeGiB: 100, encrypted: true }),
        [`${I}.systemDisk.encrypted SPEC_NOT_APPLICABLE`],
      ),
      row(
        'M45 data disks: an encrypted ESSD PL2 of 500 GiB with backup is allowed',
        data({ ...(essd(500, 'PL2') as object), encrypted: true, backup: true }),
      ),
      row('M45 data disks: PL2 at 460 GiB is refused', data(essd(460, 'PL2')), [
        `${I}.dataDisks[0].performanceLevel SPEC_DISK_LEVEL_SIZE`,
      ]),
      row('M45 data disks: PL3 at 1260 GiB is refused', data(essd(1261, 'PL3'), essd(1260, 'PL3')), [
        `${I}.dataDisks[1].performanceLevel SPEC_DISK_LEVEL_SIZE`,
      ]),
      row(
        'M45 data disks: a performance level on an ultra disk is refused',
        data({ category: 'ultra', sizeGiB: 100, performanceLevel: 'PL0' }),
        [`${I}.dataDisks[0].performanceLevel SPEC_DISK_LEVEL_NOT_ESSD`],
      ),
      row('M45 data disks: 32768 GiB is allowed', data({ sizeGiB: 32768 })),
      row('M45 data disks: 32769 GiB is refused', data({ sizeGiB: 32769 }), [
        `${I}.dataDisks[0].sizeGiB SPEC_DISK_SIZE`,
      ]),
      row('M45 data disks: 39 GiB is refused', data({ sizeGiB: 39 }), [
        `${I}.dataDisks[0].sizeGiB SPEC_DISK_SIZE`,
      ]),
      row('M45 data disks: the encrypted flag must be a boolean', data({ sizeGiB: 100, encrypted: 'yes' }), [
        `${I}.dataDisks[0].encrypted SPEC_TYPE`,
      ]),
      row('M45 data disks: a disk must be an object', data('200'), [`${I}.dataDisks[0] SPEC_TYPE`]),
      row(
        'M45 data disks: more than 16 are refused',
        data(...Array.from({ length: 17 }, (): Json => ({ sizeGiB: 100 }))),
        [`${I}.dataDisks SPEC_TOO_MANY`],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M45 data disks: the defaults are a 200 GiB ESSD PL1, unencrypted', () => {
    const inst = check(spec(set(`${I}.dataDisks`, [{}]))).spec.workers.instances;
    expect(inst.mode === 'create' && inst.dataDisks).toEqual([
      { category: 'essd', sizeGiB: 200, performanceLevel: 'PL1', backup: false, encrypted: false },
    ]);
  });
});

describe('M46 OS and hardening', () => {
  it.each(
    table([
      row('M46 OS: Alibaba Cloud Linux 2 is the default', unset('workers.os')),
      row('M46 OS: CentOS 7 is allowed', set('workers.os', 'centos-7')),
      row('M46 OS: CentOS 8 is refused with its own message', set('workers.os', 'centos-8'), [
        'workers.os SPEC_OS_CENTOS_8_UNSUPPORTED',
      ]),
      row('M46 OS: CentOS Stream 9 is refused as CentOS 8 and later', set('workers.os', 'CentOS-Stream-9'), [
        'workers.os SPEC_OS_CENTOS_8_UNSUPPORTED',
      ]),
      row('M46 OS: CentOS 10 is refused as CentOS 8 and later', set('workers.os', 'centos-10'), [
        'workers.os SPEC_OS_CENTOS_8_UNSUPPORTED',
      ]),
      row('M46 OS: another OS is refused', set('workers.os', 'ubuntu-22.04'), ['workers.os SPEC_ENUM']),
      row(
        'M46 hardening: MLPS on Alibaba Cloud Linux with a key pair is allowed',
        set('workers.hardening', 'mlps'),
      ),
      row('M46 hardening: CIS on Alibaba Cloud Linux is allowed', set('workers.hardening', 'cis')),
      row(
        'M46 hardening: CIS on CentOS 7 is refused',
        [set('workers.os', 'centos-7'), set('workers.hardening', 'cis')],
        ['workers.hardening SPEC_HARDENING_NEEDS_ALINUX'],
      ),
      row(
        'M46 hardening: MLPS on CentOS 7 is refused',
        [set('workers.os', 'centos-7'), set('workers.hardening', 'mlps')],
        ['workers.hardening SPEC_HARDENING_NEEDS_ALINUX'],
      ),
      row(
        'M46 hardening: MLPS with a root password is refused',
        [set('workers.hardening', 'mlps'), usePassword('Abcdef12!')],
        ['workers.login.type SPEC_MLPS_ROOT_PASSWORD'],
      ),
      row('M46 hardening: an unknown hardening is refused', set('workers.hardening', 'stig'), [
        'workers.hardening SPEC_ENUM',
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('M47 login', () => {
  const keyPair = (mode: string, name: string) =>
    set('workers.login', { type: 'key-pair', keyPair: { mode, name } });
  it.each(
    table([
      row('M47 login: an existing key pair of the account is allowed', keyPair('existing', 'my-key'), [], {
        facts,
      }),
      row(
        'M47 login: an unknown existing key pair is refused',
        keyPair('existing', 'gone-key'),
        ['workers.login.keyPair.name SPEC_KEY_PAIR_UNKNOWN'],
        { facts },
      ),
      row('M47 login: a new key pair with a free name is allowed', keyPair('create', 'new-key'), [], {
        facts,
      }),
      row(
        'M47 login: a new key pair with a taken name is refused',
        keyPair('create', 'my-key'),
        ['workers.login.keyPair.name SPEC_KEY_PAIR_EXISTS'],
        { facts },
      ),
      row('M47 login: a key pair name starting with a digit is refused', keyPair('existing', '1key'), [
        'workers.login.keyPair.name SPEC_KEY_PAIR_NAME_INVALID',
      ]),
      row('M47 login: a one-character key pair name is refused', keyPair('existing', 'k'), [
        'workers.login.keyPair.name SPEC_KEY_PAIR_NAME_INVALID',
      ]),
      row('M47 login: a Chinese key pair name is allowed', keyPair('existing', '密钥-1')),
      row('M47 login: a key pair without a name is required', set('workers.login', { keyPair: {} }), [
        'workers.login.keyPair.name SPEC_REQUIRED',
      ]),
      row('M47 login: a strong password typed twice is allowed', usePassword('Abcdef1!')),
      row(
        'M47 login: a password alone implies password login',
        set('workers.login', { password: 'Abcdef1!', passwordConfirm: 'Abcdef1!' }),
      ),
      row(
        'M47 login: both a key pair and a password are refused',
        set('workers.login', {
          keyPair: { name: 'my-key' },
          password: 'Abcdef1!',
          passwordConfirm: 'Abcdef1!',
        }),
        ['workers.login.keyPair SPEC_LOGIN_EXCLUSIVE'],
      ),
      row(
        'M47 login: a password with key-pair login is refused',
        set('workers.login', {
          type: 'key-pair',
          keyPair: { name: 'my-key' },
          password: 'Abcdef1!',
          passwordConfirm: 'Abcdef1!',
        }),
        ['workers.login.password SPEC_LOGIN_EXCLUSIVE', 'workers.login.passwordConfirm SPEC_LOGIN_EXCLUSIVE'],
      ),
      row('M47 password: 8 characters are allowed', usePassword('Abcdef1!')),
      row('M47 password: 30 characters are allowed', usePassword(`Ab1!${'x'.repeat(26)}`)),
      row('M47 password: 7 characters are refused', usePassword('Abcde1!'), [
        'workers.login.password SPEC_PASSWORD_LENGTH',
      ]),
      row('M47 password: 31 characters are refused', usePassword(`Ab1!${'x'.repeat(27)}`), [
        'workers.login.password SPEC_PASSWORD_LENGTH',
      ]),
      row('M47 password: three classes without a special are allowed', usePassword('Abcdefg1')),
      row('M47 password: three classes without an uppercase letter are allowed', usePassword('abcdef1!')),
      row('M47 password: two classes are refused', usePassword('abcdefg1'), [
        'workers.login.password SPEC_PASSWORD_WEAK',
      ]),
      row('M47 password: one class is refused', usePassword('abcdefgh'), [
        'workers.login.password SPEC_PASSWORD_WEAK',
      ]),
      row('M47 password: a space is not allowed', usePassword('Abc def1!'), [
        'workers.login.password SPEC_PASSWORD_CHARS',
      ]),
      row('M47 password: a Chinese character is not allowed', usePassword('Abcdef1!密'), [
        'workers.login.password SPEC_PASSWORD_CHARS',
      ]),
      row('M47 password: a double quote is not allowed', usePassword('Abcdef1"'), [
        'workers.login.password SPEC_PASSWORD_CHARS',
      ]),
      row('M47 password: a confirmation that differs is refused', usePassword('Abcdef1!', 'Abcdef1?'), [
        'workers.login.passwordConfirm SPEC_PASSWORD_MISMATCH',
      ]),
      row(
        'M47 password: the confirmation is required',
        set('workers.login', { type: 'password', password: 'Abcdef1!' }),
        ['workers.login.passwordConfirm SPEC_REQUIRED'],
      ),
      row(
        'M47 login: an unknown login type is refused',
        set('workers.login', { type: 'ldap', keyPair: { name: 'my-key' } }),
        ['workers.login.type SPEC_ENUM'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M47 password: checkPassword counts classes and lists invalid characters once', () => {
    expect(checkPassword('Ab1!')).toEqual({ length: 4, classes: 4, invalidChars: [] });
    expect(checkPassword('a a a')).toEqual({ length: 5, classes: 1, invalidChars: ['␠'] });
    expect(checkPassword('密码密码')).toEqual({ length: 4, classes: 0, invalidChars: ['密', '码'] });
    expect(checkPassword('')).toEqual({ length: 0, classes: 0, invalidChars: [] });
  });

  it('M47 password: no problem repeats the password itself', () => {
    const password = 'abc def gh';
    const result = check(spec(usePassword(password, 'other')));
    expect(result.problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(result.problems)).not.toContain(password);
  });
});

describe('M48 instance protection, M49 user data, M52 CPU policy', () => {
  it.each(
    table([
      row('M48 instance protection: off is allowed', set('workers.instanceProtection', false)),
      row(
        'M48 M14 instance protection with a subscription: a warning, the term protects the instances',
        set('workers.instances.billing', {
          type: 'subscription',
          period: 1,
          periodUnit: 'month',
          autoRenew: false,
        }),
        [],
        { warnings: ['workers.instanceProtection SPEC_PROTECTION_BY_TERM', PRIVATE_API] },
      ),
      row(
        'M48 M14 a subscription without instance protection: no warning',
        [
          set('workers.instances.billing', {
            type: 'subscription',
            period: 1,
            periodUnit: 'month',
            autoRenew: false,
          }),
          set('workers.instanceProtection', false),
        ],
        [],
        { warnings: [PRIVATE_API] },
      ),
      row('M48 instance protection: a string is a type error', set('workers.instanceProtection', 'no'), [
        'workers.instanceProtection SPEC_TYPE',
      ]),
      row('M49 user data: 16384 bytes are allowed', set('workers.userData', 'x'.repeat(16384))),
      row('M49 user data: 16385 bytes are refused', set('workers.userData', 'x'.repeat(16385)), [
        'workers.userData SPEC_USER_DATA_TOO_LARGE',
      ]),
      row('M49 user data: bytes, not characters, are counted', set('workers.userData', '中'.repeat(5462)), [
        'workers.userData SPEC_USER_DATA_TOO_LARGE',
      ]),
      row('M49 user data: an empty string means none', set('workers.userData', '')),
      row(
        'M49 user data: a huge string is refused as too long',
        set('workers.userData', 'x'.repeat(1_000_001)),
        ['workers.userData SPEC_TOO_LONG'],
      ),
      row('M52 CPU policy: static is allowed', set('workers.cpuPolicy', 'static')),
      row('M52 CPU policy: none is allowed', set('workers.cpuPolicy', 'none')),
      row('M52 CPU policy: dynamic is refused', set('workers.cpuPolicy', 'dynamic'), [
        'workers.cpuPolicy SPEC_ENUM',
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M48 instance protection: on by default; M52 CPU policy none by default', () => {
    const w = check(spec()).spec.workers;
    expect([w.instanceProtection, w.cpuPolicy, w.userData]).toEqual([true, 'none', null]);
  });
});

describe('M50 custom image', () => {
  const allowed = allFacts({
    account: {
      allowlists: { exclusiveEni: false, customImage: true, workflowEngine: false },
      resourceGroupIds: [],
    },
  });
  it.each(
    table([
      row(
        'M50 custom image: an Alibaba Cloud Linux 2 image for an allow-listed account is allowed',
        set('workers.customImageId', 'm-alinux2'),
        [],
        {
          facts: allowed,
        },
      ),
      row('M50 custom image: a CentOS 7 image is allowed', set('workers.customImageId', 'm-centos7'), [], {
        facts: allowed,
      }),
      row(
        'M50 custom image: refused for accounts not on the allow-list',
        set('workers.customImageId', 'm-alinux2'),
        ['workers.customImageId SPEC_CUSTOM_IMAGE_NOT_ALLOWED'],
        { facts },
      ),
      row(
        'M50 custom image: an unknown image is refused',
        set('workers.customImageId', 'm-gone'),
        ['workers.customImageId SPEC_CUSTOM_IMAGE_UNKNOWN'],
        { facts: allowed },
      ),
      row(
        'M50 custom image: an image on another base OS is refused',
        set('workers.customImageId', 'm-ubuntu'),
        ['workers.customImageId SPEC_CUSTOM_IMAGE_OS'],
        { facts: allowed },
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it.each([
    ['aliyun-linux-2', true],
    ['centos-7', true],
    ['CentOS  7.9 64位', true],
    ['Alibaba Cloud Linux  2.1903 LTS 64位', true],
    ['Aliyun Linux 2.1903', true],
    ['CentOS 8.5 64 bit', false],
    ['CentOS 70', false],
    ['Alibaba Cloud Linux 3.2104 LTS 64 bit', false],
    ['Ubuntu 22.04', false],
  ])('M50 custom image: an image based on %j is accepted: %s', (os, ok) => {
    const result = check(
      spec(set('workers.customImageId', 'm-1')),
      allFacts({ ...allowed, images: [{ imageId: 'm-1', os }] }),
    );
    expect(result.ok).toBe(ok);
  });
});

describe('M51 node names', () => {
  const nodeNameOf = (v: Json) => set('workers.nodeName', v);
  const COLLIDE = 'workers.nodeName.ipDigits SPEC_NODE_NAME_MAY_COLLIDE';
  it.each(
    table([
      row(
        "M51 node name: the seed's pattern is allowed",
        nodeNameOf({ prefix: 'aliyun.com', ipDigits: 5, suffix: 'test' }),
        [],
        {
          warnings: [PRIVATE_API],
        },
      ),
      row('M51 node name: no suffix is allowed', nodeNameOf({ prefix: 'gpu', ipDigits: 12 })),
      row(
        'M51 node name: the label around the IP digits may not exceed 63 characters',
        nodeNameOf({ prefix: 'a'.repeat(59), ipDigits: 5 }),
        ['workers.nodeName SPEC_NODE_NAME_LABEL_TOO_LONG'],
      ),
      row(
        'M51 node name: 58 + 5 = 63 characters is allowed',
        nodeNameOf({ prefix: 'a'.repeat(58), ipDigits: 5 }),
      ),
      row('M51 node name: an uppercase prefix is refused', nodeNameOf({ prefix: 'Aliyun', ipDigits: 5 }), [
        'workers.nodeName.prefix SPEC_NODE_NAME_PART',
      ]),
      row(
        'M51 node name: a prefix ending in a hyphen is refused',
        nodeNameOf({ prefix: 'node-', ipDigits: 5 }),
        ['workers.nodeName.prefix SPEC_NODE_NAME_PART'],
      ),
      row('M51 node name: an empty part is refused', nodeNameOf({ prefix: 'a..b', ipDigits: 5 }), [
        'workers.nodeName.prefix SPEC_NODE_NAME_PART',
      ]),
      row('M51 node name: an empty prefix is refused', nodeNameOf({ prefix: '', ipDigits: 5 }), [
        'workers.nodeName.prefix SPEC_NODE_NAME_PART',
      ]),
      row(
        'M51 node name: a suffix starting with a dot is refused',
        nodeNameOf({ prefix: 'a', ipDigits: 5, suffix: '.x' }),
        ['workers.nodeName.suffix SPEC_NODE_NAME_PART'],
      ),
      row(
        'M51 node name: a suffix with an underscore is refused',
        nodeNameOf({ prefix: 'a', ipDigits: 5, suffix: 'x_y' }),
        ['workers.nodeName.suffix SPEC_NODE_NAME_PART'],
      ),
      row('M51 node name: 4 digits are refused', nodeNameOf({ prefix: 'a', ipDigits: 4 }), [
        'workers.nodeName.ipDigits SPEC_OUT_OF_RANGE',
      ]),
      row('M51 node name: 13 digits are refused', nodeNameOf({ prefix: 'a', ipDigits: 13 }), [
        'workers.nodeName.ipDigits SPEC_OUT_OF_RANGE',
      ]),
      row('M51 node name: a prefix alone is required', nodeNameOf({ ipDigits: 5 }), [
        'workers.nodeName.prefix SPEC_REQUIRED',
      ]),
      row(
        'M51 node name: names over 253 characters are refused',
        nodeNameOf({
          prefix: ['a'.repeat(60), 'a'.repeat(60), 'a'.repeat(60), 'a'.repeat(50), 'aaaaa'].join('.'),
          ipDigits: 12,
          suffix: 'bbbbb',
        }),
        ['workers.nodeName SPEC_NODE_NAME_TOO_LONG'],
      ),
      row(
        'M51 node name: 5 digits over a /16 vSwitch may collide and warn',
        [nodeNameOf({ prefix: 'gpu', ipDigits: 5 }), set('network.vswitches[0].cidr', '192.168.0.0/16')],
        [],
        { warnings: [COLLIDE, PRIVATE_API] },
      ),
      row(
        'M51 node name: 12 digits over a /16 vSwitch cannot collide',
        [nodeNameOf({ prefix: 'gpu', ipDigits: 12 }), set('network.vswitches[0].cidr', '192.168.0.0/16')],
        [],
        { warnings: [PRIVATE_API] },
      ),
      row(
        'M51 node name: 5 digits over two /24 vSwitches with equal low digits may collide',
        [
          nodeNameOf({ prefix: 'gpu', ipDigits: 5 }),
          set('network.vswitches[1]', { zoneId: 'cn-hangzhou-h', cidr: '192.168.100.0/24' }),
        ],
        [],
        { warnings: [COLLIDE, PRIVATE_API] },
      ),
      row(
        'M51 node name: the existing vSwitch CIDR from the VPC facts is checked for collisions',
        [useExistingVpc, nodeNameOf({ prefix: 'gpu', ipDigits: 5 })],
        [],
        {
          facts: allFacts({
            vpc: existingVpcFacts({
              vswitches: [{ vswitchId: 'vsw-i', zoneId: 'cn-hangzhou-i', cidr: '192.168.0.0/16' }],
            }),
          }),
          warnings: [COLLIDE, PRIVATE_API],
        },
      ),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('M53 taints', () => {
  const taints = (...list: Json[]) => set('workers.taints', list);
  it.each(
    table([
      row(
        'M53 taints: a key with a DNS prefix, a value and an effect is allowed',
        taints({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }),
      ),
      row('M53 taints: a key alone defaults to NoSchedule', taints({ key: 'dedicated' })),
      row(
        'M53 taints: one key with two effects is allowed',
        taints({ key: 'gpu', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }),
      ),
      row('M53 taints: a key with a space is refused', taints({ key: 'bad key', effect: 'NoSchedule' }), [
        'workers.taints[0].key SPEC_TAINT_KEY_INVALID',
      ]),
      row('M53 taints: an uppercase DNS prefix is refused', taints({ key: 'Example.com/gpu' }), [
        'workers.taints[0].key SPEC_TAINT_KEY_INVALID',
      ]),
      row('M53 taints: a name over 63 characters is refused', taints({ key: 'k'.repeat(64) }), [
        'workers.taints[0].key SPEC_TAINT_KEY_INVALID',
      ]),
      row('M53 taints: a value starting with a hyphen is refused', taints({ key: 'gpu', value: '-x' }), [
        'workers.taints[0].value SPEC_TAINT_VALUE_INVALID',
      ]),
      row('M53 taints: an unknown effect is refused', taints({ key: 'gpu', effect: 'Never' }), [
        'workers.taints[0].effect SPEC_ENUM',
      ]),
      row(
        'M53 taints: a repeated key and effect is refused',
        taints(
          { key: 'gpu', value: 'a', effect: 'NoSchedule' },
          { key: 'gpu', value: 'b', effect: 'NoSchedule' },
        ),
        ['workers.taints[1] SPEC_TAINT_REPEATED'],
      ),
      row('M53 taints: a missing key is reported once', taints({ value: 'x' }), [
        'workers.taints[0].key SPEC_REQUIRED',
      ]),
      row(
        'M53 taints: two taints missing their keys are not reported as repeats',
        taints({ value: 'a' }, { value: '-b' }),
        [
          'workers.taints[0].key SPEC_REQUIRED',
          'workers.taints[1].key SPEC_REQUIRED',
          'workers.taints[1].value SPEC_TAINT_VALUE_INVALID',
        ],
      ),
      row(
        'M53 taints: more than 20 are refused',
        set(
          'workers.taints',
          Array.from({ length: 21 }, (_, i): Json => ({ key: `k${i}` })),
        ),
        ['workers.taints SPEC_TOO_MANY'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('messages of this file', () => {
  it('M40–M53 every problem and warning produced above renders in en and zh-CN', () => {
    expect(recorded.length).toBeGreaterThan(50);
    expect(unrendered(recorded)).toEqual([]);
  });
});
