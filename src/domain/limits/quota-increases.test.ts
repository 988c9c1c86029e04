// Tests for quota-increase requests (M13): validation, the operator's decision, and how approved
// requests become quota overrides that the preflight then honours.
import { describe, expect, it } from 'vitest';
import type { AccountFacts } from './account.js';
import { preflight, type ResourceDemand } from './preflight.js';
import {
  applyApprovedIncreases,
  decideQuotaIncrease,
  type QuotaIncreaseRequest,
  validateQuotaIncreaseRequest,
} from './quota-increases.js';

const account: AccountFacts = {
  balanceCny: 500,
  realNameVerified: true,
  quotas: { 'vpc.eips': 30 },
  usage: {},
  allowlists: { exclusiveEni: false, customImage: false, workflowEngine: false },
  resourceGroupIds: ['rg-default'],
};

const request = (over: Partial<QuotaIncreaseRequest> = {}): QuotaIncreaseRequest => ({
  id: 'qi-1',
  quota: 'vpc.route-entries-per-table',
  requestedLimit: 200,
  reason: 'Flannel cluster of 150 GPU nodes',
  state: 'pending',
  ...over,
});

describe('quota-increase requests', () => {
  it.each([
    { name: 'a real increase with a reason is valid', r: request(), codes: [] },
    {
      name: 'asking for the current limit is refused',
      r: request({ requestedLimit: 48 }),
      codes: ['QUOTA_INCREASE_NOT_AN_INCREASE'],
    },
    {
      name: 'the current limit counts the override',
      r: request({ quota: 'vpc.eips', requestedLimit: 25 }),
      codes: ['QUOTA_INCREASE_NOT_AN_INCREASE'],
    },
    {
      name: 'a fractional limit is refused',
      r: request({ requestedLimit: 60.5 }),
      codes: ['QUOTA_INCREASE_NOT_AN_INCREASE'],
    },
    {
      name: 'a blank reason is refused',
      r: request({ reason: '  ' }),
      codes: ['QUOTA_INCREASE_REASON_REQUIRED'],
    },
  ])('M13 validate: $name', ({ r, codes }) => {
    expect(validateQuotaIncreaseRequest(r, account).map((p) => p.code)).toEqual(codes);
  });

  it('M13 validate: params name the quota, the current and the requested limit', () => {
    expect(validateQuotaIncreaseRequest(request({ quota: 'vpc.eips', requestedLimit: 25 }), account)).toEqual(
      [
        {
          path: 'requestedLimit',
          code: 'QUOTA_INCREASE_NOT_AN_INCREASE',
          params: { quota: 'vpc.eips', current: 30, requested: 25 },
        },
      ],
    );
  });

  it.each([
    { name: 'a pending request is approved', r: request(), decision: 'approved' as const, state: 'approved' },
    { name: 'a pending request is rejected', r: request(), decision: 'rejected' as const, state: 'rejected' },
  ])('M13 decide: $name', ({ r, decision, state }) => {
    const result = decideQuotaIncrease(r, decision);
    expect(result).toEqual({ ok: true, request: { ...r, state } });
  });

  it('M13 decide: a decided request cannot be decided again', () => {
    expect(decideQuotaIncrease(request({ state: 'rejected' }), 'approved')).toEqual({
      ok: false,
      problem: {
        path: 'state',
        code: 'QUOTA_INCREASE_NOT_PENDING',
        params: { id: 'qi-1', state: 'rejected' },
      },
    });
  });

  it.each([
    { name: 'approved raises the limit', rs: [request({ state: 'approved' })], routes: 200 },
    { name: 'pending changes nothing', rs: [request()], routes: undefined },
    { name: 'rejected changes nothing', rs: [request({ state: 'rejected' })], routes: undefined },
    {
      name: 'the highest approved limit wins',
      rs: [request({ state: 'approved', requestedLimit: 300 }), request({ id: 'qi-2', state: 'approved' })],
      routes: 300,
    },
    {
      name: 'an approval never lowers a limit',
      rs: [request({ state: 'approved', requestedLimit: 10 })],
      routes: undefined,
    },
  ])('M13 apply approved increases: $name', ({ rs, routes }) => {
    const quotas = applyApprovedIncreases(account, rs);
    expect(quotas['vpc.route-entries-per-table']).toBe(routes);
    expect(quotas['vpc.eips']).toBe(30);
    expect(account.quotas).toEqual({ 'vpc.eips': 30 });
  });

  it('M13 after an approved route-entry increase a 150-node Flannel cluster passes preflight', () => {
    const demand: ResourceDemand = {
      vpcs: 1,
      securityGroups: 1,
      postpaidSlbs: 1,
      eips: 1,
      natGateways: 1,
      routeEntries: 151,
      ramUsers: 0,
      keyPairs: 0,
      postpaidInstances: 0,
      postpaidVcpus: 0,
      nodes: 150,
      clusters: 1,
      networkPlugin: 'flannel',
      payAsYouGo: true,
    };
    const before = preflight(demand, { ...account, quotas: {} }).map((p) => p.code);
    expect(before).toEqual(['QUOTA_ROUTE_ENTRIES_FLANNEL', 'QUOTA_EXCEEDED']);
    const quotas = applyApprovedIncreases(account, [
      request({ state: 'approved' }),
      request({ id: 'qi-2', quota: 'cs.nodes-per-cluster', requestedLimit: 500, state: 'approved' }),
    ]);
    expect(preflight(demand, { ...account, quotas })).toEqual([]);
  });
});
