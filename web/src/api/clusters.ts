// Query hooks for clusters, their tasks, nodes and events, and the mutations the console makes
// (create, dry run, delete, deletion protection, scale out, kubeconfig). Pages poll only while
// something changes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client.js';
import {
  BUSY_STATES,
  type ClusterSummary,
  type ClusterView,
  type DryRun,
  type EventView,
  type NodeView,
  type TaskView,
} from './types.js';

const POLL_MS = 1500;

const busy = (state: string | undefined) => state !== undefined && (BUSY_STATES as string[]).includes(state);

export function useClusters() {
  return useQuery({
    queryKey: ['clusters'],
    queryFn: () => request<{ items: ClusterSummary[] }>('GET', '/v1/clusters?pageSize=100'),
    refetchInterval: (q) => (q.state.data?.items.some((c) => busy(c.state)) ? POLL_MS : false),
  });
}

/** One cluster; `enabled: false` reads nothing (a list row whose summary already says enough). */
export function useCluster(id: string, enabled = true) {
  return useQuery({
    queryKey: ['cluster', id],
    enabled,
    queryFn: () => request<ClusterView>('GET', `/v1/clusters/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (busy(q.state.data?.state) ? POLL_MS : false),
  });
}

export function useTask(taskId: string | null) {
  return useQuery({
    queryKey: ['task', taskId],
    enabled: taskId !== null,
    queryFn: () => request<TaskView>('GET', `/v1/tasks/${encodeURIComponent(taskId ?? '')}`),
    refetchInterval: (q) => (q.state.data?.state === 'running' ? POLL_MS : false),
  });
}

/** The agents' heartbeat period: how often a node's readiness and "last seen" can change. */
export const HEARTBEAT_MS = 10_000;

/**
 * Nodes with readiness and GPU reports; `live` keeps polling quickly (while the cluster is still
 * changing), `heartbeat` at the agents' pace (a page that shows "last seen").
 */
export function useNodes(clusterId: string, live: boolean | 'heartbeat' = false, enabled = true) {
  return useQuery({
    queryKey: ['nodes', clusterId],
    enabled,
    queryFn: () =>
      request<{ items: NodeView[] }>('GET', `/v1/clusters/${encodeURIComponent(clusterId)}/nodes`),
    refetchInterval: live === 'heartbeat' ? HEARTBEAT_MS : live ? POLL_MS : false,
  });
}

export function useEvents(clusterId: string, live = false) {
  return useQuery({
    queryKey: ['events', clusterId],
    queryFn: () =>
      request<{ items: EventView[] }>('GET', `/v1/clusters/${encodeURIComponent(clusterId)}/events`),
    refetchInterval: live ? POLL_MS : false,
  });
}

export function useDryRun() {
  return useMutation({
    mutationFn: (spec: unknown) => request<DryRun>('POST', '/v1/clusters', { spec, dryRun: true }),
  });
}

export function useCreateCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (spec: unknown) =>
      request<{ clusterId: string; taskId: string }>('POST', '/v1/clusters', { spec }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['clusters'] }),
  });
}

export function useDeleteCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      request<{ taskId: string }>('DELETE', `/v1/clusters/${encodeURIComponent(id)}`),
    onSuccess: (_r, id) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['clusters'] }),
        qc.invalidateQueries({ queryKey: ['cluster', id] }),
      ]),
  });
}

/** M32: turns deletion protection on or off (PATCH); the answer is the cluster's new detail. */
export function useDeletionProtection(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) =>
      request<ClusterView>('PATCH', `/v1/clusters/${encodeURIComponent(clusterId)}`, {
        deletionProtection: on,
      }),
    onSuccess: (view) => {
      qc.setQueryData(['cluster', clusterId], view);
      return qc.invalidateQueries({ queryKey: ['events', clusterId] });
    },
  });
}

export interface NodePoolRequest {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly count: number;
}

export function useScaleOut(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (pool: NodePoolRequest) =>
      request<{ taskId: string; steps: string[] }>(
        'POST',
        `/v1/clusters/${encodeURIComponent(clusterId)}/node-pools`,
        pool,
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['cluster', clusterId] }),
  });
}

export interface IssuedKubeconfig {
  readonly kubeconfig: string;
  readonly expiresAt?: string | number;
  readonly [more: string]: unknown;
}

/** M63: a kubeconfig issued for the signed-in user (each call is audited, so it is a mutation). */
export function useKubeconfig(clusterId: string) {
  return useMutation({
    mutationFn: (o: { endpoint: 'internal' | 'public'; minutes: number }) =>
      request<IssuedKubeconfig>(
        'GET',
        `/v1/clusters/${encodeURIComponent(clusterId)}/kubeconfig?endpoint=${o.endpoint}&minutes=${o.minutes}`,
      ),
  });
}
