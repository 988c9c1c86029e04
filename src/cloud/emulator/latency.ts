// How long the emulated cloud takes for each asynchronous transition, calibrated on the public
// cloud's figures (ranges in seconds) and divided by a time scale; draws are deterministic per resource.
import { hash01 } from './random.js';

/** [min, max] seconds at real speed. Sources: the provider latency notes (Terraform tests, docs). */
export const LATENCY_SECONDS = {
  'vpc.create': [2, 5],
  'vpc.delete': [2, 5],
  'vswitch.create': [3, 10],
  'vswitch.delete': [3, 8],
  'nat.create': [60, 180],
  'nat.delete': [30, 60],
  'eip.associate': [2, 10],
  'eip.unassociate': [2, 6],
  'snat.create': [5, 20],
  'snat.delete': [3, 10],
  'route.create': [2, 10],
  'route.delete': [2, 6],
  'slb.create': [1, 5],
  'slb.listener': [2, 5],
  'slb.delete': [1, 3],
  'instance.pending': [5, 15],
  'instance.starting': [20, 60],
  /** Extra start time of GPU instances (a guess, as the notes say). */
  'instance.gpu': [30, 90],
  'instance.stopping': [10, 30],
  'instance.starting-again': [15, 40],
  'instance.replace-disk': [20, 60],
  'instance.delete': [10, 60],
  /** Running → node registered with its GPUs: driver, container toolkit, kubelet join, first report. */
  'instance.boot': [300, 420],
} as const satisfies Record<string, readonly [number, number]>;

export type LatencyPhase = keyof typeof LATENCY_SECONDS;

export class LatencyModel {
  /** @param timeScale 1 = real speed, 100 = a hundred times faster, Infinity = no waiting at all. */
  constructor(
    readonly timeScale: number,
    private readonly seed: string = '',
  ) {
    if (!(timeScale > 0)) throw new RangeError('time scale must be positive');
  }

  /** Milliseconds `phase` takes for the resource `key` (the same key always gets the same draw). */
  delayMs(phase: LatencyPhase, key: string): number {
    if (this.timeScale === Infinity) return 0;
    const [min, max] = LATENCY_SECONDS[phase];
    const seconds = min + (max - min) * hash01(`${this.seed}:${phase}:${key}`);
    return Math.round((seconds * 1000) / this.timeScale);
  }

  /** The middle of the range at real speed, for calibration reports. */
  static typicalSeconds(phase: LatencyPhase): number {
    const [min, max] = LATENCY_SECONDS[phase];
    return (min + max) / 2;
  }
}
