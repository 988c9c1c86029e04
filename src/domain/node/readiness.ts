// A node's readiness as the control plane derives it from heartbeats: Ready while the agent's last
// report is recent (within a few of its own heartbeat periods), NotReady once it stops, Unknown before any.

/** Missed heartbeats after which a node is NotReady (Kubernetes' node controller waits ~4 kubelet periods). */
export const NODE_READY_MISSED_HEARTBEATS = 3;

export type NodeReadiness = 'Ready' | 'NotReady' | 'Unknown';
export type NodeReadinessReason = 'AgentReporting' | 'HeartbeatsMissed' | 'NeverReported';

export interface NodeHeartbeat {
  /** Epoch ms of the first accepted report; null while the node never reported. */
  readonly registeredAt: number | null;
  /** Epoch ms of the latest accepted report. */
  readonly lastSeenAt: number | null;
  /** The period the agent announced, in ms. */
  readonly heartbeatMs: number;
}

export interface NodeReadinessView {
  readonly status: NodeReadiness;
  readonly reason: NodeReadinessReason;
  /** When a Ready node turns NotReady if no report comes (epoch ms); null when not Ready. */
  readonly readyUntil: number | null;
}

/** Pure: readiness at `now` (epoch ms). A report from the future (clock skew) counts as fresh. */
export function nodeReadiness(h: NodeHeartbeat, now: number): NodeReadinessView {
  if (h.registeredAt === null || h.lastSeenAt === null) {
    return { status: 'Unknown', reason: 'NeverReported', readyUntil: null };
  }
  const readyUntil = h.lastSeenAt + NODE_READY_MISSED_HEARTBEATS * Math.max(1, h.heartbeatMs);
  return now <= readyUntil
    ? { status: 'Ready', reason: 'AgentReporting', readyUntil }
    : { status: 'NotReady', reason: 'HeartbeatsMissed', readyUntil: null };
}
