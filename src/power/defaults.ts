/**
 * Default power figures for everything around the accelerators (the devices' own idle power and
 * TDP live in the hardware catalog). A scenario's `power:` section overrides each one. Where no
 * public measurement pins a number down, the source says ASSUMPTION.
 */
export const POWER_DEFAULTS = {
  /** Facility power / IT power. */
  pue: 1.3,
  /** One node's host (CPUs, base DRAM, fans, boot disks, PSU losses) excluding accelerators and NICs, W. */
  hostWatts: 1000,
  /** One scale-out NIC with its optics, W. */
  nicWatts: 25,
  /** Share of a device's dynamic power (TDP − idle) drawn while only HBM traffic keeps it busy. */
  memoryActivity: 0.35,
  /** Cache-tier DRAM, W per GB provisioned. */
  dramWattsPerGb: 0.1,
  /** Cache-tier NVMe, W per TB provisioned. */
  nvmeWattsPerTb: 1.6,
  /** Remote store (storage nodes, replication included), W per TB stored. */
  remoteWattsPerTb: 15,
} as const;

export const POWER_SOURCES: Readonly<Record<keyof typeof POWER_DEFAULTS, string>> = {
  pue:
    'ASSUMPTION 1.3: between hyperscale sites (1.1–1.2) and the 2023 industry average of 1.58 (Uptime Institute ' +
    'Global Data Center Survey 2023, https://intelligence.uptimeinstitute.com/resource/large-data-centers-are-mostly-more-efficient-analysis-confirms).',
  hostWatts:
    'ASSUMPTION 1 kW per node: a 2-socket host at inference load. For scale, NVIDIA rates a DGX H100 at 10.2 kW max, ' +
    'i.e. ~4.6 kW beyond its 8×700 W GPUs at full load including NVSwitches, fans and NICs.',
  nicWatts:
    'ASSUMPTION 25 W per 400 Gb/s NIC incl. optics: NVIDIA specifies 8–9 W typical for one 400G OSFP transceiver ' +
    '(https://docs.nvidia.com/networking/display/MMA4Z00NS400T/Connectivity+Scenarios); the adapter adds ~15 W.',
  memoryActivity:
    'ASSUMPTION 0.35, set from the ML.ENERGY Benchmark v3.0 H100 anchors quoted by vLLM fleet-sim ' +
    '(https://vllm-semantic-router.com/zh-Hans/docs/fleet-sim/power-model): batch-1 decode (weight streaming, ' +
    'HBM-bound) draws ~300 W of a 700 W TDP; with ~80 W idle, (300 − 80) / (700 − 80) ≈ 0.35.',
  dramWattsPerGb: 'ASSUMPTION 0.1 W/GB: a 64 GB DDR5 RDIMM draws ~5–10 W under load.',
  nvmeWattsPerTb: 'ASSUMPTION 1.6 W/TB: a ~25 W Gen5 enterprise NVMe SSD of 15.36 TB at load.',
  remoteWattsPerTb:
    'ASSUMPTION 15 W/TB stored: a ~1 kW Ceph storage node with 12×15.36 TB NVMe and 3× replication (~61 TB usable).',
};
