// OS hardening of a worker (M46) as files and commands: MLPS level 3 (等保三级: no root login over
// SSH, password and lockout policy, audit, idle timeout) or a CIS subset that leaves Kubernetes working.
import type { OsHardening } from '../domain/spec/types.js';

export interface HardeningFile {
  readonly path: string;
  readonly content: string;
  readonly permissions: string;
}

export interface HardeningEffects {
  /** cloud-init `disable_root`: root's authorized keys refuse logins (MLPS). */
  readonly disableRoot: boolean;
  readonly files: readonly HardeningFile[];
  /** sysctl settings (key → value) added to the worker's sysctl file. */
  readonly sysctls: Readonly<Record<string, string>>;
  /** Shell lines the bootstrap script runs (as root, `set -eu`). */
  readonly commands: readonly string[];
}

/**
 * sshd options, set in place: CentOS 7 and Alibaba Cloud Linux 2 ship OpenSSH 7.4, which has no
 * `Include`, so a drop-in file would be ignored.
 */
function sshdSettings(settings: Readonly<Record<string, string>>): string[] {
  return [
    `sshd_set() { sed -i -E "/^#?[[:space:]]*$1[[:space:]]/d" /etc/ssh/sshd_config; echo "$1 $2" >> /etc/ssh/sshd_config; }`,
    ...Object.entries(settings).map(([k, v]) => `sshd_set ${k} ${v}`),
  ];
}

const MLPS_PASSWORD_QUALITY = [
  '# MLPS level 3: password complexity',
  'minlen = 10',
  'minclass = 3',
  'dcredit = -1',
  'ucredit = -1',
  'lcredit = -1',
  'ocredit = -1',
  '',
].join('\n');

const IDLE_TIMEOUT = [
  '# Idle shells end after ten minutes.',
  'TMOUT=600',
  'readonly TMOUT',
  'export TMOUT',
  '',
].join('\n');

const CIS_MODPROBE = ['cramfs', 'freevxfs', 'jffs2', 'hfs', 'hfsplus', 'udf', 'dccp', 'sctp']
  .map((m) => `install ${m} /bin/true`)
  .join('\n');

const NONE: HardeningEffects = { disableRoot: false, files: [], sysctls: {}, commands: [] };

export function hardeningEffects(hardening: OsHardening): HardeningEffects {
  if (hardening === 'none') return NONE;
  if (hardening === 'mlps') {
    return {
      disableRoot: true,
      files: [
        {
          path: '/etc/security/pwquality.conf.d/90-kuberack-mlps.conf',
          content: MLPS_PASSWORD_QUALITY,
          permissions: '0644',
        },
        { path: '/etc/profile.d/kuberack-tmout.sh', content: IDLE_TIMEOUT, permissions: '0644' },
      ],
      sysctls: {},
      commands: [
        ...sshdSettings({ PermitRootLogin: 'no', PermitEmptyPasswords: 'no', MaxAuthTries: '5' }),
        // Lock an account for five minutes after five failed logins.
        "authconfig --enablefaillock --faillockargs='deny=5 unlock_time=300' --update",
        "sed -i -E 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS   90/' /etc/login.defs",
        'systemctl enable --now auditd',
        'systemctl reload sshd',
      ],
    };
  }
  return {
    disableRoot: false,
    files: [
      { path: '/etc/modprobe.d/kuberack-cis.conf', content: `${CIS_MODPROBE}\n`, permissions: '0644' },
      { path: '/etc/profile.d/kuberack-tmout.sh', content: IDLE_TIMEOUT, permissions: '0644' },
    ],
    // CIS network items; IP forwarding stays on (pods need it). The last four are what the kubelet
    // checks under protectKernelDefaults.
    sysctls: {
      'net.ipv4.conf.all.send_redirects': '0',
      'net.ipv4.conf.default.send_redirects': '0',
      'net.ipv4.conf.all.accept_redirects': '0',
      'net.ipv4.conf.default.accept_redirects': '0',
      'net.ipv4.conf.all.log_martians': '1',
      'net.ipv4.icmp_echo_ignore_broadcasts': '1',
      'kernel.randomize_va_space': '2',
      'vm.overcommit_memory': '1',
      'vm.panic_on_oom': '0',
      'kernel.panic': '10',
      'kernel.panic_on_oops': '1',
    },
    commands: [
      ...sshdSettings({
        PermitEmptyPasswords: 'no',
        MaxAuthTries: '4',
        X11Forwarding: 'no',
        ClientAliveInterval: '300',
        ClientAliveCountMax: '0',
        LoginGraceTime: '60',
      }),
      'chmod 600 /etc/ssh/sshd_config',
      'systemctl enable --now auditd',
      'systemctl reload sshd',
    ],
  };
}
