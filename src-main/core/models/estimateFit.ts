import type { FitVerdict, MachineMemory, ModelFit, SpeedClass } from '../shared/types';

/** What a model needs, from its figures (catalogue) or node-llama-cpp's estimate (a file here). */
export interface ModelNeeds {
  weightsBytes: number;
  /** KV cache and compute buffers for `contextSize`. */
  contextBytes: number;
  layers: number;
  contextSize: number;
}

/** Keep room for the OS, the app and the display. */
const USABLE_RAM_SHARE = 0.85;
const USABLE_VRAM_SHARE = 0.9;
/** Rough memory bandwidths (bytes/s): a token reads every weight once, so speed ≈ bandwidth / weights. */
const GPU_BANDWIDTH = 200e9;
const CPU_BANDWIDTH = 20e9;
const FAST_TOKENS_PER_SECOND = 20;
const MODERATE_TOKENS_PER_SECOND = 5;

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/**
 * Where a model would run on this machine: entirely on the GPU, partly or wholly on the CPU (slow),
 * or not at all; with the layers offloaded and a speed class from memory bandwidth.
 */
export function estimateFit(needs: ModelNeeds, machine: MachineMemory): ModelFit {
  const total = needs.weightsBytes + needs.contextBytes;
  const vram = machine.backend && machine.backend !== 'cpu' ? machine.totalVramBytes * USABLE_VRAM_SHARE : 0;
  const ram = machine.totalRamBytes * USABLE_RAM_SHARE;
  const base = { estimatedMemoryBytes: total, contextSize: needs.contextSize, compatibilityScore: null };
  if (total <= vram) {
    return {
      ...base,
      verdict: 'gpu',
      speedClass: speedClass(needs.weightsBytes / GPU_BANDWIDTH),
      estimatedVramBytes: total,
      estimatedRamBytes: 0,
      gpuLayers: needs.layers,
      reason: `Fits on the GPU: about ${gib(total)} of ${gib(machine.totalVramBytes)} VRAM with a ${needs.contextSize}-token context.`
    };
  }
  // The context stays with the offloaded layers' device; spill whole layers to RAM.
  const perLayer = needs.weightsBytes / Math.max(1, needs.layers);
  const gpuLayers = vram > needs.contextBytes ? Math.min(needs.layers, Math.floor((vram - needs.contextBytes) / perLayer)) : 0;
  const vramBytes = gpuLayers > 0 ? gpuLayers * perLayer + needs.contextBytes : 0;
  const ramBytes = total - vramBytes;
  if (ramBytes > ram) {
    return {
      ...base,
      verdict: 'no',
      speedClass: null,
      estimatedVramBytes: vramBytes,
      estimatedRamBytes: ramBytes,
      gpuLayers,
      reason:
        `Needs about ${gib(total)} but this machine has ${gib(machine.totalRamBytes)} of RAM` +
        (vram > 0 ? ` and ${gib(machine.totalVramBytes)} of VRAM` : '') +
        '. Pick a smaller model or a stronger quantization.'
    };
  }
  const secondsPerToken = (gpuLayers * perLayer) / GPU_BANDWIDTH + (needs.weightsBytes - gpuLayers * perLayer) / CPU_BANDWIDTH;
  return {
    ...base,
    verdict: 'cpu',
    speedClass: speedClass(secondsPerToken),
    estimatedVramBytes: vramBytes,
    estimatedRamBytes: ramBytes,
    gpuLayers,
    reason:
      gpuLayers > 0
        ? `Runs with ${gpuLayers} of ${needs.layers} layers on the GPU and the rest on the CPU (slower): about ${gib(total)} in all.`
        : `Runs on the CPU only (slower): about ${gib(total)} of ${gib(machine.totalRamBytes)} RAM.`
  };
}

export function speedClass(secondsPerToken: number): SpeedClass {
  const tokensPerSecond = 1 / Math.max(secondsPerToken, 1e-9);
  if (tokensPerSecond >= FAST_TOKENS_PER_SECOND) return 'fast';
  if (tokensPerSecond >= MODERATE_TOKENS_PER_SECOND) return 'moderate';
  return 'slow';
}

/** The verdict node-llama-cpp's configuration resolver implies for a file here. */
export function fitFromResolver(
  resolved: { gpuLayers: number; contextSize: number; totalRamUsage: number; totalVramUsage: number },
  compatibilityScore: number,
  weightsBytes: number,
  layers: number,
  machine: MachineMemory
): ModelFit {
  const total = resolved.totalRamUsage + resolved.totalVramUsage;
  const onGpu = machine.backend !== null && machine.backend !== 'cpu';
  const fits = compatibilityScore > 0 && resolved.totalRamUsage <= machine.totalRamBytes * USABLE_RAM_SHARE;
  const verdict: FitVerdict = !fits ? 'no' : onGpu && resolved.gpuLayers >= layers ? 'gpu' : 'cpu';
  const gpuShare = layers > 0 ? Math.min(1, resolved.gpuLayers / layers) : 0;
  const secondsPerToken = (weightsBytes * gpuShare) / GPU_BANDWIDTH + (weightsBytes * (1 - gpuShare)) / CPU_BANDWIDTH;
  return {
    verdict,
    speedClass: verdict === 'no' ? null : speedClass(secondsPerToken),
    estimatedMemoryBytes: total,
    estimatedVramBytes: resolved.totalVramUsage,
    estimatedRamBytes: resolved.totalRamUsage,
    gpuLayers: resolved.gpuLayers,
    contextSize: resolved.contextSize,
    compatibilityScore,
    reason:
      verdict === 'no'
        ? `Does not fit: about ${gib(total)} needed, ${gib(machine.totalRamBytes)} of RAM` +
          (onGpu ? ` and ${gib(machine.totalVramBytes)} of VRAM here.` : ' here.')
        : verdict === 'gpu'
          ? `Fits on the GPU: about ${gib(resolved.totalVramUsage)} of VRAM with a ${resolved.contextSize}-token context.`
          : resolved.gpuLayers > 0
            ? `Runs with ${resolved.gpuLayers} of ${layers} layers on the GPU, the rest on the CPU (slower): about ${gib(total)} in all.`
            : `Runs on the CPU only (slower): about ${gib(total)} of RAM.`
  };
}
