// What Kuberack knows about a cloud account when it plans work: balance, real-name status, quota
// overrides and usage, allowlists. Gathered by the cloud layer; judged by the pure preflight.
import type { QuotaName } from './quotas.js';

export interface AccountFacts {
  /** Available balance in CNY. */
  readonly balanceCny: number;
  readonly realNameVerified: boolean;
  /** Overrides of DEFAULT_QUOTAS, e.g. after an approved increase. */
  readonly quotas: Partial<Record<QuotaName, number>>;
  /**
   * What the account already uses, counted in each quota's scope (the region, the target VPC, the
   * target route table). Per-cluster quotas are not read from here: the demand gives the cluster's
   * size after the operation.
   */
  readonly usage: Partial<Record<QuotaName, number>>;
  readonly allowlists: {
    readonly exclusiveEni: boolean;
    readonly customImage: boolean;
    readonly workflowEngine: boolean;
  };
  readonly resourceGroupIds: readonly string[];
}
