/**
 * Vitest setup for test/tools/swap-policies.mjs: when KVSIM_SWAP_POLICY is
 * "<registry>:<name>=<other>" (registry: prefill | decode | eviction), the registry entry <name>
 * builds <other>'s policy instead, still reporting itself as <name>. Every test that looks a policy
 * up by name then gets the impostor; the suite must notice.
 */
import { EVICTION_POLICIES } from '../../src/policies/eviction/registry.js';
import { DECODE_ROUTERS, PREFILL_ROUTERS } from '../../src/policies/registry.js';

const spec = process.env.KVSIM_SWAP_POLICY;
if (spec) {
  const m = /^(prefill|decode|eviction):(\w+)=(\w+)$/.exec(spec);
  if (!m) throw new Error(`KVSIM_SWAP_POLICY: expected <prefill|decode|eviction>:<name>=<other>, got "${spec}"`);
  const [, kind, name, other] = m;
  const registry = (kind === 'prefill' ? PREFILL_ROUTERS : kind === 'decode' ? DECODE_ROUTERS : EVICTION_POLICIES) as Record<
    string,
    (capacity: number) => { name: string }
  >;
  const impostor = registry[other];
  if (!registry[name] || !impostor) throw new Error(`KVSIM_SWAP_POLICY: unknown ${kind} policy in "${spec}"`);
  registry[name] = (capacity: number) => Object.defineProperty(impostor(capacity), 'name', { value: name });
}
