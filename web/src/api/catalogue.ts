// Query hooks for the wizard's look-ups in the caller's cloud account (src/api/catalogue.ts):
// regions and zones, GPU instance types with stock, versions, images, VPCs, vSwitches, security
// groups and key pairs. Catalogue data changes rarely, so it stays fresh for a minute.
import { useQuery } from '@tanstack/react-query';
import { request } from './client.js';
import type {
  ImageView,
  InstanceTypeOffer,
  Region,
  SecurityGroupView,
  VersionView,
  VpcView,
  VSwitchView,
} from './types.js';

const FRESH_MS = 60_000;

function items<T>(path: string): Promise<T[]> {
  return request<{ items: T[] }>('GET', path).then((r) => r.items);
}

const q = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();

export function useRegions() {
  return useQuery({
    queryKey: ['regions'],
    queryFn: () => items<Region>('/v1/catalogue/regions'),
    staleTime: FRESH_MS,
  });
}

export function useVersions() {
  return useQuery({
    queryKey: ['versions'],
    queryFn: () => items<VersionView>('/v1/catalogue/kubernetes-versions'),
    staleTime: FRESH_MS,
  });
}

export function useInstanceTypes(regionId: string) {
  return useQuery({
    queryKey: ['instance-types', regionId],
    enabled: regionId !== '',
    queryFn: () => items<InstanceTypeOffer>(`/v1/catalogue/instance-types?${q({ regionId })}`),
    staleTime: FRESH_MS,
  });
}

export function useImages(regionId: string) {
  return useQuery({
    queryKey: ['images', regionId],
    enabled: regionId !== '',
    queryFn: () => items<ImageView>(`/v1/catalogue/images?${q({ regionId })}`),
    staleTime: FRESH_MS,
  });
}

export function useVpcs(regionId: string) {
  return useQuery({
    queryKey: ['vpcs', regionId],
    enabled: regionId !== '',
    queryFn: () => items<VpcView>(`/v1/catalogue/vpcs?${q({ regionId })}`),
    staleTime: FRESH_MS,
  });
}

export function useVSwitches(regionId: string, vpcId: string | null) {
  return useQuery({
    queryKey: ['vswitches', regionId, vpcId],
    enabled: regionId !== '' && !!vpcId,
    queryFn: () =>
      items<VSwitchView>(`/v1/catalogue/vswitches?${q({ regionId, vpcId: vpcId ?? undefined })}`),
    staleTime: FRESH_MS,
  });
}

export function useSecurityGroups(regionId: string, vpcId: string | null) {
  return useQuery({
    queryKey: ['security-groups', regionId, vpcId],
    enabled: regionId !== '' && !!vpcId,
    queryFn: () =>
      items<SecurityGroupView>(`/v1/catalogue/security-groups?${q({ regionId, vpcId: vpcId ?? undefined })}`),
    staleTime: FRESH_MS,
  });
}

/** Whether a key pair of that name exists in the region (the provider reads one by name). */
export function useKeyPair(regionId: string, name: string) {
  return useQuery({
    queryKey: ['key-pair', regionId, name],
    enabled: regionId !== '' && name !== '',
    queryFn: () =>
      items<{ name: string; fingerprint: string }>(`/v1/catalogue/key-pairs?${q({ regionId, name })}`),
    staleTime: FRESH_MS,
  });
}
