/**
 * Time of one tensor-parallel all-reduce over a node's scale-up fabric (the α–β model of collective
 * communication: Thakur, Rabenseifner, Gropp, "Optimization of Collective Communication Operations in
 * MPICH", IJHPCA 2005; bus-bandwidth convention of NVIDIA/nccl-tests doc/PERFORMANCE.md).
 *
 * n ranks each hold S bytes; every rank must end with the element-wise sum.
 *   link-limited bus bandwidth  B_link = mesh: min(perPeer·(n−1), aggregate)   (one link per peer)
 *                                        switch: aggregate                     (any pair at full rate)
 *   achieved bus bandwidth      B = B_link · busEfficiency
 *   ring      (reduce-scatter then all-gather, 2(n−1) steps of S/n):  t = 2(n−1)·α + 2(n−1)/n · S / B
 *   one-shot  (every rank reads the n−1 peer buffers at once, reduces locally): t = 2·α + (n−1)·S / B
 *             (the 2 hops: publish the buffer, then a barrier flag)
 *   auto      the smaller of the two (NCCL/RCCL tuners and vLLM's custom all-reduce switch to one-shot for
 *             small messages, where latency dominates).
 * busEfficiency is what nccl-tests calls busbw / link rate; it folds in protocol overhead (e.g. xGMI's
 * 48 of 64 GB/s after CRC and framing). With n = 1 there is nothing to reduce.
 */
import type { ScaleUpFabric } from '../cluster/catalog/types.js';

/** Achieved bus bandwidth of an n-rank all-reduce, B/s. */
export function busBandwidth(f: ScaleUpFabric, n: number): number {
  const link = f.topology === 'mesh' ? Math.min(f.perPeerBandwidth * (n - 1), f.aggregateBandwidth) : f.aggregateBandwidth;
  return link * f.busEfficiency;
}

/** Ring all-reduce time as fixed + perByte·S (s, s/B). */
export function ringCoefficients(f: ScaleUpFabric, n: number): { fixed: number; perByte: number } {
  if (n <= 1) return { fixed: 0, perByte: 0 };
  return { fixed: 2 * (n - 1) * f.latency, perByte: (2 * (n - 1)) / n / busBandwidth(f, n) };
}

/** One-shot all-reduce time as fixed + perByte·S (s, s/B). */
export function oneShotCoefficients(f: ScaleUpFabric, n: number): { fixed: number; perByte: number } {
  if (n <= 1) return { fixed: 0, perByte: 0 };
  return { fixed: 2 * f.latency, perByte: (n - 1) / busBandwidth(f, n) };
}

/** Seconds of one all-reduce of `bytes` per rank over n ranks with the fabric's algorithm. */
export function allReduceTime(f: ScaleUpFabric, n: number, bytes: number): number {
  if (n <= 1 || bytes <= 0) return 0;
  const ring = ringCoefficients(f, n);
  const one = oneShotCoefficients(f, n);
  const tRing = ring.fixed + ring.perByte * bytes;
  const tOne = one.fixed + one.perByte * bytes;
  if (f.algorithm === 'ring') return tRing;
  if (f.algorithm === 'one_shot') return tOne;
  return Math.min(tRing, tOne);
}
