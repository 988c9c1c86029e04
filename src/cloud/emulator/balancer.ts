// Emulated CLB (SLB): intranet or internet load balancers with an address from their vSwitch, TCP
// listeners that start asynchronously, backend servers, and delete protection.
import type { LoadBalancer, LoadBalancerListener, Provider } from '../provider.js';
import { returnAddress, takeAddress, type VSwitchAttrs } from './network.js';
import { cloudId } from './random.js';
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
  type Session,
  type WriteScope,
} from './session.js';
import { idPrefixOf } from './world.js';
import { SLB_SPECS } from '../../domain/spec/types.js';

/** The CLB specs on sale are the ones the spec schema offers (M29). */
const SPECS: readonly string[] = SLB_SPECS;

interface ListenerAttrs {
  port: number;
  protocol: 'tcp';
  backendPort: number;
  runningAt: number;
}
interface SlbAttrs {
  address: string;
  addressType: 'intranet' | 'internet';
  vpcId: string;
  vswitchId: string;
  spec: string;
  name: string;
  deleteProtection: boolean;
  listeners: ListenerAttrs[];
  backendServerIds: string[];
}

function toLoadBalancer(row: Row<SlbAttrs>, now: number): LoadBalancer {
  const a = row.attrs;
  const listeners: LoadBalancerListener[] = a.listeners.map((l) => ({
    port: l.port,
    protocol: l.protocol,
    backendPort: l.backendPort,
    status: l.runningAt <= now ? 'running' : 'starting',
  }));
  return {
    id: row.id,
    address: a.address,
    addressType: a.addressType,
    vpcId: a.vpcId,
    vswitchId: a.vswitchId,
    spec: a.spec,
    status: statusAt(row, now) as LoadBalancer['status'],
    deleteProtection: a.deleteProtection,
    listeners,
    backendServerIds: a.backendServerIds,
    name: a.name,
    tags: row.tags,
  };
}

async function slbOrFail(s: WriteScope, regionId: string, id: string): Promise<Row<SlbAttrs>> {
  const row = await s.r.get<SlbAttrs>('slb', id);
  if (!row || row.regionId !== regionId)
    fail('InvalidLoadBalancerId.NotFound', `The load balancer ${id} does not exist.`, 404);
  return row;
}

export type BalancerOps = Pick<
  Provider,
  | 'createLoadBalancer'
  | 'getLoadBalancer'
  | 'createListener'
  | 'deleteListener'
  | 'addBackendServers'
  | 'setLoadBalancerDeleteProtection'
  | 'deleteLoadBalancer'
>;

export function balancerOps(session: Session): BalancerOps {
  const lat = session.ctx.latency;
  return {
    createLoadBalancer: (req, opts) =>
      session.write('CreateLoadBalancer', async (s) => {
        const row = await createOnce<SlbAttrs>(s, 'slb', opts, req, async () => {
          requireRegion(req.regionId);
          checkName('LoadBalancerName', req.name, true);
          if (!SPECS.includes(req.spec))
            fail('InvalidParameter', `The load balancer spec ${req.spec} is not offered.`);
          if (req.addressType !== 'intranet' && req.addressType !== 'internet')
            fail('InvalidParameter', `The address type ${String(req.addressType)} is not supported.`);
          const vsw = await s.r.get<VSwitchAttrs>('vswitch', req.vswitchId);
          if (!vsw || vsw.regionId !== req.regionId)
            fail('InvalidVSwitchId.NotFound', `The vSwitch ${req.vswitchId} does not exist.`, 404);
          if (statusAt(vsw, s.now) !== 'Available')
            fail('IncorrectVSwitchStatus', `The vSwitch ${vsw.id} is not available.`);
          requirePayAsYouGo(s.account);
          if ((await s.r.count('slb', null)) >= quotaLimit(s.account, 'slb.postpaid-instances'))
            fail('ORDER.QUOTA_EXCEEDED', 'The number of pay-as-you-go load balancers has reached the quota.');
          const b = () => Math.floor(Math.random() * 254) + 1;
          const address = req.addressType === 'internet' ? `118.31.${b()}.${b()}` : takeAddress(vsw);
          await s.r.update(vsw);
          const id = cloudId('lb', idPrefixOf(req.regionId));
          return {
            kind: 'slb',
            id,
            regionId: req.regionId,
            name: req.name,
            parentId: vsw.id,
            timeline: becomes(s, lat, 'inactive', 'active', 'slb.create', id),
            attrs: {
              address,
              addressType: req.addressType,
              vpcId: vsw.attrs.vpcId,
              vswitchId: vsw.id,
              spec: req.spec,
              name: req.name,
              deleteProtection: req.deleteProtection ?? false,
              listeners: [],
              backendServerIds: [],
            },
          };
        });
        return toLoadBalancer(row, s.now);
      }),
    getLoadBalancer: (regionId, id) =>
      readOne(session, 'DescribeLoadBalancerAttribute', 'slb', regionId, id, toLoadBalancer),
    createListener: (regionId, req) =>
      session.write('CreateLoadBalancerTCPListener', async (s) => {
        const slb = await slbOrFail(s, regionId, req.loadBalancerId);
        if (statusAt(slb, s.now) !== 'active')
          fail('OperationFailed.TokenIsProcessing', `The load balancer ${slb.id} is not active yet.`);
        for (const port of [req.port, req.backendPort])
          if (!Number.isInteger(port) || port < 1 || port > 65535)
            fail('InvalidParameter', `The port ${port} is out of range.`);
        const existing = slb.attrs.listeners.find((l) => l.port === req.port);
        if (existing) {
          if (existing.backendPort === req.backendPort && existing.protocol === req.protocol) return;
          fail('ListenerAlreadyExists', `The load balancer ${slb.id} already listens on ${req.port}.`);
        }
        if (slb.attrs.listeners.length >= 50)
          fail('TooManyListeners', 'A load balancer has at most 50 listeners.');
        slb.attrs.listeners = [
          ...slb.attrs.listeners,
          { ...req, runningAt: s.now + lat.delayMs('slb.listener', `${slb.id}:${req.port}`) },
        ].sort((a, b) => a.port - b.port);
        await s.r.update(slb);
      }),
    deleteListener: (regionId, req) =>
      session.write('DeleteLoadBalancerListener', async (s) => {
        const slb = await slbOrFail(s, regionId, req.loadBalancerId);
        if (!slb.attrs.listeners.some((l) => l.port === req.port))
          fail(
            'InvalidListener.NotFound',
            `The load balancer ${slb.id} has no listener on ${req.port}.`,
            404,
          );
        slb.attrs.listeners = slb.attrs.listeners.filter((l) => l.port !== req.port);
        await s.r.update(slb);
      }),
    addBackendServers: (regionId, req) =>
      session.write('AddBackendServers', async (s) => {
        const slb = await slbOrFail(s, regionId, req.loadBalancerId);
        for (const id of req.instanceIds) {
          const inst = await s.r.get<{ vpcId: string }>('instance', id);
          if (!inst || inst.attrs.vpcId !== slb.attrs.vpcId)
            fail(
              'InvalidBackendServers.ServerIdNotFound',
              `The instance ${id} is not in the load balancer's VPC.`,
            );
        }
        const ids = [...new Set([...slb.attrs.backendServerIds, ...req.instanceIds])];
        if (ids.length > 200)
          fail('TooManyBackendServers', 'A load balancer has at most 200 backend servers.');
        slb.attrs.backendServerIds = ids;
        await s.r.update(slb);
      }),
    setLoadBalancerDeleteProtection: (regionId, id, on) =>
      session.write('SetLoadBalancerDeleteProtection', async (s) => {
        const slb = await slbOrFail(s, regionId, id);
        slb.attrs.deleteProtection = on;
        await s.r.update(slb);
      }),
    deleteLoadBalancer: (regionId, id) =>
      session.write('DeleteLoadBalancer', async (s) => {
        const slb = await slbOrFail(s, regionId, id);
        if (slb.attrs.deleteProtection)
          fail('DeleteProtectionIsEnabled', `The load balancer ${id} has delete protection on.`);
        const [eip] = await s.r.referrers(id, 'eip');
        if (eip) fail('DependencyViolation.Eip', `The EIP ${eip.id} is still bound to load balancer ${id}.`);
        if (slb.attrs.addressType === 'intranet')
          await returnAddress(s, slb.attrs.vswitchId, slb.attrs.address);
        await markDeleted(s, slb, lat.delayMs('slb.delete', id));
      }),
  };
}
