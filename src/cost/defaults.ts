/**
 * Default prices of the TCO model (device prices live in the hardware catalog; remote storage
 * $/GB-month in the storage catalog). A scenario's `cost:` section overrides each one. Prices move
 * fast and few are published: most are ASSUMPTIONS, stated as such.
 */
export const COST_DEFAULTS = {
  /** $ per kWh of facility energy (IT × PUE). */
  electricityPerKwh: 0.08,
  /** Straight-line amortisation period of everything bought (capex basis; tier hardware in both bases). */
  lifetimeYears: 4,
  /** One server without its accelerators and NICs, $. */
  nodePrice: 30_000,
  /** One scale-out NIC incl. optics and its share of a switch port, $. */
  nicPrice: 2_500,
  /** Cache-tier DRAM, $ per GB. */
  dramPerGb: 4,
  /** Cache-tier NVMe, $ per GB. */
  nvmePerGb: 0.12,
  /** S3 request prices, $ per 1,000 requests (backend s3 only). */
  s3GetPer1000: 0.0004,
  s3PutPer1000: 0.005,
} as const;

export const COST_SOURCES: Readonly<Record<keyof typeof COST_DEFAULTS, string>> = {
  electricityPerKwh: 'ASSUMPTION $0.08/kWh: typical US industrial electricity price (EIA Electric Power Monthly, table 5.6.a).',
  lifetimeYears: 'ASSUMPTION 4 years: accelerator servers are depreciated over 3–6 years.',
  nodePrice: 'ASSUMPTION $30k: 2-socket accelerator host (CPUs, base DRAM, chassis, PSUs, baseboard), no accelerators or NICs.',
  nicPrice: 'ASSUMPTION $2.5k: 400 Gb/s RDMA NIC, optics and a share of a switch port.',
  dramPerGb: 'ASSUMPTION $4/GB: DDR5 RDIMM street price.',
  nvmePerGb: 'ASSUMPTION $0.12/GB: enterprise Gen5 TLC NVMe street price.',
  s3GetPer1000: 'AWS S3 Standard list price $0.0004 per 1,000 GET (https://aws.amazon.com/s3/pricing/); 0 for self-hosted Ceph without chargeback.',
  s3PutPer1000: 'AWS S3 Standard list price $0.005 per 1,000 PUT (https://aws.amazon.com/s3/pricing/); 0 for self-hosted Ceph without chargeback.',
};

/** Hours in an average year (365.25 days) and month. */
export const HOURS_PER_YEAR = 8766;
export const HOURS_PER_MONTH = HOURS_PER_YEAR / 12;
