// Checks that every code the limits area emits has English and Chinese messages whose placeholders
// are exactly the params the code is emitted with (M10, M13).
import { describe, expect, it } from 'vitest';
import { limitsMessages } from '../messages/limits.js';
import type { Problem } from '../problems.js';
import type { AccountFacts } from './account.js';
import { preflight, type ResourceDemand } from './preflight.js';
import { decideQuotaIncrease, validateQuotaIncreaseRequest } from './quota-increases.js';

const broke: AccountFacts = {
  balanceCny: 0,
  realNameVerified: false,
  quotas: {},
  usage: { 'vpc.eips': 20 },
  allowlists: { exclusiveEni: false, customImage: false, workflowEngine: false },
  resourceGroupIds: [],
};

const demand: ResourceDemand = {
  vpcs: 1,
  securityGroups: 1,
  postpaidSlbs: 1,
  eips: 1,
  natGateways: 1,
  routeEntries: 60,
  ramUsers: 0,
  keyPairs: 0,
  postpaidInstances: 60,
  postpaidVcpus: 480,
  nodes: 60,
  clusters: 1,
  networkPlugin: 'flannel',
  payAsYouGo: true,
};

function emitted(): Problem[] {
  const decided = decideQuotaIncrease(
    { id: 'qi-1', quota: 'vpc.eips', requestedLimit: 40, reason: 'x', state: 'approved' },
    'approved',
  );
  return [
    ...preflight(demand, broke),
    ...validateQuotaIncreaseRequest({ quota: 'vpc.eips', requestedLimit: 5, reason: '' }, broke),
    ...(decided.ok ? [] : [decided.problem]),
  ];
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('limits messages', () => {
  it('M10 M13 every emitted code is in the catalogue', () => {
    const codes = new Set(emitted().map((p) => p.code));
    expect([...codes].sort()).toEqual(Object.keys(limitsMessages).sort());
  });

  it('M10 M13 placeholders match the emitted params in both languages', () => {
    for (const p of emitted()) {
      const template = limitsMessages[p.code];
      expect(template, p.code).toBeDefined();
      const params = Object.keys(p.params).sort();
      expect(placeholders(template?.en ?? ''), `${p.code} en`).toEqual(params);
      expect(placeholders(template?.zh ?? ''), `${p.code} zh`).toEqual(params);
    }
  });

  it('M10 M13 Chinese templates are Chinese', () => {
    for (const [code, t] of Object.entries(limitsMessages)) {
      expect(t.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(t.en, code).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
