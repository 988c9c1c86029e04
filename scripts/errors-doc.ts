// Writes docs/errors.md from the one message catalogue, so the list of stable codes can never
// drift from the code; test/errors-doc.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { catalogue } from '../src/domain/messages/index.js';

const AREAS: readonly [string, string][] = [
  ['SPEC_', 'Cluster spec (field problems)'],
  ['NET_', 'Network CIDRs'],
  ['BALANCE_', 'Account balance'],
  ['ACCOUNT_', 'Account'],
  ['QUOTA_', 'Quotas'],
  ['PLAN_', 'Planning'],
  ['KUBE_', 'Kubernetes artefacts'],
  ['GPU_', 'GPU reports'],
  ['NVIDIA_', 'nvidia-smi'],
  ['API_', 'HTTP API'],
  ['FIELD_', 'Request body fields'],
  ['CLOUD_', 'Cloud provider'],
  ['ENGINE_', 'Provisioning engine'],
  ['NODE_POOL_', 'Node pools'],
  ['NODE_REPORT_', 'Node reports from the agent'],
  ['NODE_TOKEN_', 'Node tokens'],
];

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderErrorsDoc(): string {
  const lines = [
    '# Error codes',
    '',
    'Every stable code Kuberack returns, with its English and Chinese message. Generated from',
    '`src/domain/messages/` by `npm run docs:errors`; a test fails when this file is stale.',
    'Validation returns these as `{ path, code, params }`; `{name}` marks a parameter.',
    '',
  ];
  const codes = Object.keys(catalogue).sort();
  for (const [prefix, title] of AREAS) {
    const inArea = codes.filter((c) => c.startsWith(prefix));
    if (inArea.length === 0) continue;
    lines.push(`## ${title} (\`${prefix}*\`)`, '', '| code | English | 中文 |', '|---|---|---|');
    for (const code of inArea) {
      const m = catalogue[code];
      if (m) lines.push(`| \`${code}\` | ${escape(m.en)} | ${escape(m.zh)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('errors-doc.ts')) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
}
