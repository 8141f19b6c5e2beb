/** fast-check arbitraries shared by the step-time property tests. */
import fc from 'fast-check';
import { deviceIds } from '../../src/cluster/catalog/hardware.js';
import { modelIds } from '../../src/cluster/catalog/models.js';

/** Any catalog model on any catalog device, at any TP degree, BF16 or FP8 weights and KV. */
export const arbShape = fc.record({
  model: fc.constantFrom(...modelIds()),
  device: fc.constantFrom(...deviceIds()),
  tp: fc.constantFrom(1, 2, 4, 8),
  weightDtype: fc.constantFrom('bf16' as const, 'fp8' as const),
  kvDtype: fc.constantFrom('bf16' as const, 'fp8' as const),
});
