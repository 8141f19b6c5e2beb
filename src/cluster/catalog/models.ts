/**
 * Dense model catalog (architecture numbers from meta-llama/llama-models models/sku_list.py,
 * https://github.com/meta-llama/llama-models, and the models' config.json on Hugging Face). KV bytes per token are derived, never typed in.
 */
import type { Dtype, ModelSpec } from './types.js';

const LLAMA_SRC = 'meta-llama/llama-models models/sku_list.py (https://github.com/meta-llama/llama-models) and the Hugging Face config.json';
const QWEN_SRC = 'Qwen/Qwen2.5-72B config.json (https://huggingface.co/Qwen/Qwen2.5-72B)';
const LLAMA2_SRC =
  'MLPerf Inference llama2-70b reference (https://github.com/mlcommons/inference/tree/master/language/llama2-70b; Llama-2-70B: 80 layers, hidden 8192, 64/8 heads, FFN 28672, vocab 32000; ' +
  'meta-llama/Llama-2-70b-chat-hf config.json, head dim 8192/64 = 128)';

const ARCH_FIELDS = ['layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'ffn', 'vocab'] as const;

function arch(src: string, params: string): Record<string, string> {
  const s: Record<string, string> = {};
  for (const f of ARCH_FIELDS) s[f] = src;
  s.params = `${src}: ${params}`;
  return s;
}

const models: Record<string, ModelSpec> = {
  'llama-3.1-8b': {
    id: 'llama-3.1-8b',
    name: 'Llama-3.1-8B',
    layers: 32,
    hidden: 4096,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    ffn: 14336,
    vocab: 128256,
    params: 8.03e9,
    sources: arch(LLAMA_SRC, '8.03 B parameters.'),
  },
  'llama-3.1-70b': {
    id: 'llama-3.1-70b',
    name: 'Llama-3.1-70B',
    layers: 80,
    hidden: 8192,
    heads: 64,
    kvHeads: 8,
    headDim: 128,
    ffn: 28672,
    vocab: 128256,
    params: 70.6e9,
    sources: arch(LLAMA_SRC, '70.6 B parameters.'),
  },
  'llama-3.1-405b': {
    id: 'llama-3.1-405b',
    name: 'Llama-3.1-405B',
    layers: 126,
    hidden: 16384,
    heads: 128,
    kvHeads: 8,
    headDim: 128,
    ffn: 53248,
    vocab: 128256,
    params: 405.8e9,
    sources: arch(LLAMA_SRC, '405.8 B parameters.'),
  },
  'qwen2.5-72b': {
    id: 'qwen2.5-72b',
    name: 'Qwen2.5-72B',
    layers: 80,
    hidden: 8192,
    heads: 64,
    kvHeads: 8,
    headDim: 128,
    ffn: 29568,
    vocab: 152064,
    params: 72.7e9,
    sources: arch(QWEN_SRC, '72.7 B parameters.'),
  },
  'llama-2-70b': {
    id: 'llama-2-70b',
    name: 'Llama-2-70B',
    layers: 80,
    hidden: 8192,
    heads: 64,
    kvHeads: 8,
    headDim: 128,
    ffn: 28672,
    vocab: 32000,
    params: 68.976648192e9,
    sources: arch(
      LLAMA2_SRC,
      '68,976,648,192 parameters, derived from the architecture: 80 · (8192·8192·2 + 2·8192·1024 + 3·8192·28672 + ' +
        '2·8192 norms) + 2·32000·8192 (untied embedding and LM head) + 8192 (final norm) — the "69B" of the model card.',
    ),
  },
};

for (const m of Object.values(models)) {
  Object.freeze(m.sources);
  Object.freeze(m);
}

export const MODELS: Readonly<Record<string, ModelSpec>> = Object.freeze(models);

/** Catalog keys, in catalog order. */
export function modelIds(): string[] {
  return Object.keys(MODELS);
}

/** Bytes per element: bf16 2, fp8 1. */
export function dtypeBytes(d: Dtype): number {
  switch (d) {
    case 'bf16':
      return 2;
    case 'fp8':
      return 1;
  }
  // Unreachable for typed callers; guards against unvalidated strings (NaN would spread silently).
  throw new Error(`unknown dtype: ${String(d)}`);
}

/** KV cache bytes of one token, all layers: 2 (K and V) · layers · kvHeads · headDim · bytes. */
export function kvBytesPerToken(model: ModelSpec, kvDtype: Dtype): number {
  return 2 * model.layers * model.kvHeads * model.headDim * dtypeBytes(kvDtype);
}
