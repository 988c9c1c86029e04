// Rules of step 1's cluster fields (M15–M20, M32–M39): name, region, version and runtime,
// time zone, tags, cluster domain, certificate SANs, token projection and KMS encryption.
import { compareKubernetesVersions } from '../../catalogue/kubernetes-versions.js';
import { parseIpv4 } from '../../net/ipv4.js';
import { joinPath } from '../../problems.js';
import { SPEC_LIMITS as L } from '../defaults.js';
import type { Rule } from './context.js';

/** M15: digits, Chinese characters, English letters and hyphens. */
const NAME_CHAR = /[0-9A-Za-z\p{Script=Han}-]/u;

export const nameRule: Rule = ({ spec, reader, problems }) => {
  if (reader.broken('name')) return;
  const chars = [...spec.name];
  if (chars.length < 1 || chars.length > L.nameMax) {
    problems.add('name', 'SPEC_NAME_LENGTH', { min: 1, max: L.nameMax, length: chars.length });
  }
  const bad = [...new Set(chars.filter((c) => !NAME_CHAR.test(c)))];
  if (bad.length > 0) problems.add('name', 'SPEC_NAME_CHARS', { chars: bad });
  else if (spec.name.startsWith('-')) problems.add('name', 'SPEC_NAME_LEADING_HYPHEN');
};

export const regionRule: Rule = ({ spec, facts, reader, problems }) => {
  // A region the reader already refused is not checked again; the resource group still is.
  if (!reader.broken('regionId')) {
    if (spec.regionId === '') problems.add('regionId', 'SPEC_REQUIRED');
    else if (facts.regions && !facts.regions.some((r) => r.regionId === spec.regionId)) {
      problems.add('regionId', 'SPEC_REGION_UNKNOWN', {
        value: spec.regionId,
        allowed: facts.regions.map((r) => r.regionId),
      });
    }
  }
  const groups = facts.account?.resourceGroupIds;
  if (spec.resourceGroupId !== null && groups && !groups.includes(spec.resourceGroupId)) {
    problems.add('resourceGroupId', 'SPEC_RESOURCE_GROUP_UNKNOWN', { value: spec.resourceGroupId });
  }
};

/** M19 version from the provider's list; M20 runtime compatible with it. */
export const versionRule: Rule = ({ spec, reader, problems, kubernetesVersions }) => {
  if (reader.broken('kubernetesVersion')) return;
  const version = kubernetesVersions.find((v) => v.version === spec.kubernetesVersion);
  const creatable = kubernetesVersions
    .filter((v) => v.creatable)
    .map((v) => v.version)
    .sort((a, b) => compareKubernetesVersions(b, a));
  if (!version || !version.creatable) {
    problems.add('kubernetesVersion', 'SPEC_VERSION_UNSUPPORTED', {
      value: spec.kubernetesVersion,
      allowed: creatable,
    });
    return;
  }
  if (reader.broken('runtime')) return;
  if (!version.runtimes.some((r) => r.name === spec.runtime)) {
    problems.add('runtime', 'SPEC_RUNTIME_UNSUPPORTED', {
      runtime: spec.runtime,
      version: version.version,
      allowed: version.runtimes.map((r) => r.name),
    });
  }
};

/** Zones already checked: building an Intl formatter is the slowest part of validation. */
const timeZoneCache = new Map<string, boolean>();

/** M33: an IANA time zone name; the runtime's Intl database is the reference. */
export function isTimeZone(zone: string): boolean {
  const cached = timeZoneCache.get(zone);
  if (cached !== undefined) return cached;
  let valid = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone);
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      valid = false;
    }
  }
  if (timeZoneCache.size < 1000) timeZoneCache.set(zone, valid);
  return valid;
}

export const timeZoneRule: Rule = ({ spec, reader, problems }) => {
  if (reader.broken('timeZone')) return;
  if (!isTimeZone(spec.timeZone))
    problems.add('timeZone', 'SPEC_TIME_ZONE_INVALID', { value: spec.timeZone });
};

const TAG_KEY_RESERVED = ['aliyun', 'acs:', 'http://', 'https://'];
const TAG_VALUE_RESERVED = ['http://', 'https://'];

/** M35: key required, ≤ 64, no reserved prefix; value ≤ 128, no URL prefix; ≤ 20 distinct keys. */
export const tagsRule: Rule = ({ spec, problems, warnings }) => {
  const seen = new Map<string, number>();
  spec.tags.forEach((tag, i) => {
    const keyPath = joinPath('tags', i, 'key');
    const valuePath = joinPath('tags', i, 'value');
    if (tag.key.trim() === '') problems.add(keyPath, 'SPEC_TAG_KEY_REQUIRED');
    if ([...tag.key].length > L.tagKeyMax)
      problems.add(keyPath, 'SPEC_TAG_KEY_TOO_LONG', { max: L.tagKeyMax });
    const lowerKey = tag.key.toLowerCase();
    const reserved = TAG_KEY_RESERVED.find((p) => lowerKey.startsWith(p));
    if (reserved) problems.add(keyPath, 'SPEC_TAG_KEY_RESERVED', { prefix: reserved });
    if ([...tag.value].length > L.tagValueMax) {
      problems.add(valuePath, 'SPEC_TAG_VALUE_TOO_LONG', { max: L.tagValueMax });
    }
    const lowerValue = tag.value.toLowerCase();
    const url = TAG_VALUE_RESERVED.find((p) => lowerValue.startsWith(p));
    if (url) problems.add(valuePath, 'SPEC_TAG_VALUE_RESERVED', { prefix: url });
    const earlier = seen.get(tag.key);
    if (earlier !== undefined)
      warnings.add(keyPath, 'SPEC_TAG_KEY_REPEATED', { key: tag.key, first: earlier + 1 });
    seen.set(tag.key, i);
  });
  if (seen.size > L.tagsMax) problems.add('tags', 'SPEC_TAGS_TOO_MANY', { max: L.tagsMax, count: seen.size });
};

/** M36: two dot-separated parts of 1–63 letters or digits. */
export const CLUSTER_DOMAIN = /^[A-Za-z0-9]{1,63}\.[A-Za-z0-9]{1,63}$/;

export const clusterDomainRule: Rule = ({ spec, reader, problems }) => {
  if (reader.broken('clusterDomain')) return;
  if (!CLUSTER_DOMAIN.test(spec.clusterDomain)) {
    problems.add('clusterDomain', 'SPEC_CLUSTER_DOMAIN_INVALID', { value: spec.clusterDomain });
  }
};

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** RFC 1123 DNS name, lowercase, ≤ 253 characters, optionally a leading `*.` wildcard. */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.startsWith('*.') ? name.slice(2).split('.') : name.split('.');
  // An all-digit last label would read as a (bad) IPv4 address, e.g. 999.1.1.1.
  return labels.every((l) => DNS_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/** IPv6 literal, as the WHATWG URL parser accepts it in a host. */
export function isIpv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':')) return false;
  try {
    new URL(`http://[${value}]/`);
    return true;
  } catch {
    return false;
  }
}

/** M37: each SAN is an IP address or a DNS name. */
export const certSansRule: Rule = ({ spec, problems, warnings }) => {
  const seen = new Set<string>();
  spec.certSans.forEach((san, i) => {
    const path = joinPath('certSans', i);
    if (!(parseIpv4(san) !== null || isIpv6(san) || isDnsName(san))) {
      problems.add(path, 'SPEC_SAN_INVALID', { value: san });
    }
    if (seen.has(san)) warnings.add(path, 'SPEC_SAN_REPEATED', { value: san });
    seen.add(san);
  });
};

/** M38: issuer is an https URL; audiences are non-empty and comma-free (the API server joins them). */
export const serviceAccountRule: Rule = ({ spec, problems }) => {
  const sa = spec.serviceAccountTokenProjection;
  if (!sa.enabled) return;
  if (!/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(sa.issuer)) {
    problems.add('serviceAccountTokenProjection.issuer', 'SPEC_SA_ISSUER_INVALID', { value: sa.issuer });
  }
  if (sa.audiences.length === 0)
    problems.add('serviceAccountTokenProjection.audiences', 'SPEC_SA_AUDIENCES_REQUIRED');
  sa.audiences.forEach((a, i) => {
    if (a.trim() === '' || /[\s,]/.test(a)) {
      problems.add(joinPath('serviceAccountTokenProjection.audiences', i), 'SPEC_SA_AUDIENCE_INVALID', {
        value: a,
      });
    }
  });
};

/** M39: a KMS key of the account; Secret encryption with KMS is an ACK Pro capability. */
export const secretEncryptionRule: Rule = ({ spec, facts, reader, problems }) => {
  const enc = spec.secretEncryption;
  if (!enc) return;
  if (spec.edition !== 'pro') problems.add('secretEncryption', 'SPEC_KMS_REQUIRES_PRO');
  if (reader.broken('secretEncryption.kmsKeyId')) return;
  if (enc.kmsKeyId === '') problems.add('secretEncryption.kmsKeyId', 'SPEC_REQUIRED');
  else if (facts.kmsKeyIds && !facts.kmsKeyIds.includes(enc.kmsKeyId)) {
    problems.add('secretEncryption.kmsKeyId', 'SPEC_KMS_KEY_UNKNOWN', { value: enc.kmsKeyId });
  }
};

export const clusterRules: readonly Rule[] = [
  nameRule,
  regionRule,
  versionRule,
  timeZoneRule,
  tagsRule,
  clusterDomainRule,
  certSansRule,
  serviceAccountRule,
  secretEncryptionRule,
];
