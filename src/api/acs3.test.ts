// ACS3-HMAC-SHA256 against the vectors of the SDK core's own tests and a realistic CreateCluster
// request, so our verifier accepts exactly what the official SDK sends.
import { describe, expect, it } from 'vitest';
import { authorizationHeader, parseAuthorization, sha256Hex, signedHeaderMap } from './acs3.js';

describe('ACS3-HMAC-SHA256', () => {
  it('matches the SDK core vector with a query and repeated headers', () => {
    const header = authorizationHeader('acesskey', 'secret', {
      method: 'undefined',
      path: '',
      query: { test: 'ok', empty: '' },
      headers: signedHeaderMap({ 'x-acs-TEST': 'https', 'x-acs-test': 'http' }),
      payloadHash: '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23',
    });
    expect(header).toBe(
      'ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac',
    );
  });

  it('matches the SDK core vector without query or headers', () => {
    const header = authorizationHeader('acesskey', 'secret', {
      method: 'undefined',
      path: '',
      query: {},
      headers: new Map(),
      payloadHash: '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23',
    });
    expect(header).toBe(
      'ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=,Signature=608b887e491f3e88e85276b188a4d24e29230a559464685ccbf2dcc458e1fde8',
    );
  });

  it('matches a CreateCluster request signed the way @alicloud/cs20151215 signs it', () => {
    const body = '{"name":"gpu-demo","cluster_type":"ManagedKubernetes","region_id":"cn-hangzhou"}';
    const headers = signedHeaderMap({
      host: '127.0.0.1:8080',
      'x-acs-action': 'CreateCluster',
      'x-acs-version': '2015-12-15',
      'x-acs-date': '2025-01-01T00:00:00Z',
      'x-acs-signature-nonce': 'abc123',
      'x-acs-content-sha256': sha256Hex(body),
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
      'user-agent': 'not signed',
    });
    const header = authorizationHeader('testAK', 'testSecret', {
      method: 'POST',
      path: '/clusters',
      query: {},
      headers,
      payloadHash: sha256Hex(body),
    });
    expect(parseAuthorization(header)?.signature).toBe(
      'a6351dfc6c6b131ef685b87866acf5b1e728d9ed21f7dfb1ab8be432df0471cd',
    );
    expect(parseAuthorization(header)?.signedHeaders).toEqual([
      'content-type',
      'host',
      'x-acs-action',
      'x-acs-content-sha256',
      'x-acs-date',
      'x-acs-signature-nonce',
      'x-acs-version',
    ]);
  });

  it('parses only well-formed Authorization headers', () => {
    expect(parseAuthorization('ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=zz')).toBeNull();
    expect(parseAuthorization(undefined)).toBeNull();
    expect(parseAuthorization(`acs a:${'0'.repeat(28)}`)).toBeNull();
  });
});
