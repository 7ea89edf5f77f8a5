import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, realpath, rename, rm, stat, symlink, unlink } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { InvalidArgumentsError } from '../EnclaveError';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { EngineService } from '../engine/EngineService';
import { KV_CACHE_GGML, valueCacheType } from '../engine/LocalModel';
import type {
  CatalogueEntry,
  LoadEstimate,
  LocalModelFile,
  ModelCatalogue as ModelCatalogueView,
  ModelFileMetadata,
  ModelInfo,
  ModelLoadOptions
} from '../shared/types';
import { InvalidModelFileError, ModelFileExistsError, ModelImportError, UnknownModelFileError } from './errors';
import { fitFromResolver } from './estimateFit';
import { fileNameOf, type ModelCatalogue } from './ModelCatalogue';
import { parseModelFile } from './readModelFileMetadata';

export const MODELS_FOLDER = 'models';

/** What the CLI adds to a load: a thread count for this model only, the API's queue length. */
interface LoadExtras {
  threads?: number;
  maxQueueLength?: number;
}

/**
 * The models folder (`<data dir>/models`, or the modelsDir engine setting): lists its .gguf files with
 * their header metadata, imports (copy or link) and removes them, resolves ids to paths, and estimates
 * the memory a load would take with node-llama-cpp's configuration resolver.
 */
export class ModelLibrary {
  /** Header metadata by path, size and mtime: a folder of large files is read once. */
  private readonly metadataCache = new Map<string, { key: string; metadata: ModelFileMetadata | Error }>();

  constructor(
    private readonly dataDir: string,
    private readonly catalogue: ModelCatalogue,
    private readonly engine: EngineService,
    private readonly events: EnclaveEvents
  ) {}

  get dir(): string {
    return this.engine.getSettings().modelsDir ?? join(this.dataDir, MODELS_FOLDER);
  }

  async ensureDir(): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    return this.dir;
  }

  async list(): Promise<LocalModelFile[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const ggufs = names.filter((name) => name.toLowerCase().endsWith('.gguf')).sort((a, b) => a.localeCompare(b));
    const files = await Promise.all(ggufs.map((name) => this.describe(join(this.dir, name))));
    return files.filter((file): file is LocalModelFile => file !== null);
  }

  /** A file's header, without loading it. */
  async inspect(path: string): Promise<ModelFileMetadata> {
    assertAbsolute('inspectModelFile', path);
    return (await parseModelFile(path, await this.llama())).metadata;
  }

  async import(path: string, mode: 'copy' | 'link'): Promise<LocalModelFile> {
    assertAbsolute('importModel', path);
    // Refuses a non-GGUF or malformed file before anything lands in the folder.
    await this.inspect(path);
    const dir = await this.ensureDir();
    const target = join(dir, basename(path));
    if (resolve(path) === resolve(target)) throw new ModelFileExistsError(target);
    if (await exists(target)) throw new ModelFileExistsError(target);
    try {
      if (mode === 'link') await symlink(await realpath(path), target, 'file');
      else {
        // A partial copy beside the target, renamed when complete: the folder never shows half a file.
        const partial = `${target}.import-part`;
        try {
          await copyFile(path, partial, constants.COPYFILE_FICLONE);
          await rename(partial, target);
        } finally {
          await rm(partial, { force: true });
        }
      }
    } catch (error) {
      throw new ModelImportError(path, error);
    }
    this.events.emit('modelsChanged', {});
    const file = await this.describe(target);
    if (!file) throw new ModelImportError(path, new Error('the file vanished after the import'));
    return file;
  }

  /** Deletes a file from the folder (a linked file's link only), unloading it first if it is loaded. */
  async remove(id: string): Promise<void> {
    const path = await this.pathOf(id);
    if (this.engine.loadedModel?.path === path) await this.engine.unloadModel();
    await unlink(path);
    this.metadataCache.delete(path);
    this.events.emit('modelsChanged', {});
  }

  /**
   * The absolute path for a model file id, a catalogue id (once downloaded) or an absolute path.
   * A relative path or URL is refused: the engine loads local files only.
   */
  async resolveModel(idOrPath: string): Promise<string> {
    if (isAbsolute(idOrPath)) return idOrPath;
    return this.pathOf(idOrPath);
  }

  /** Loads a model file by id (a file here or a downloaded catalogue entry) or absolute path. */
  async load(target: { id?: string; path?: string }, options: ModelLoadOptions & LoadExtras = {}): Promise<ModelInfo> {
    const path = target.path ?? (await this.pathOf(target.id!));
    return this.engine.loadModel({ ...options, path });
  }

  /** The catalogue as the UI shows it: each entry's fit here (at the engine's context size) and its downloaded file. */
  async catalogueView(): Promise<ModelCatalogueView> {
    const [machine, files] = await Promise.all([this.engine.machineMemory(), this.list()]);
    const contextSize = this.engine.getSettings().contextSize;
    const local = new Map(files.filter((file) => file.catalogueId).map((file) => [file.catalogueId!, file.id]));
    return {
      entries: this.catalogue.entries.map((record) => this.catalogue.describe(record, machine, contextSize, local.get(record.id) ?? null)),
      source: this.catalogue.source,
      updatedAt: this.catalogue.updatedAt,
      machine
    };
  }

  /** The best-fitting chat model of the catalogue for this machine (first run); null when none fits. */
  async recommend(): Promise<CatalogueEntry | null> {
    const view = await this.catalogueView();
    const record = this.catalogue.recommend(view.machine, this.engine.getSettings().contextSize);
    return view.entries.find((entry) => entry.id === record?.id) ?? null;
  }

  /** The memory a load with these options would need, from node-llama-cpp's resolver and this machine's RAM and VRAM. */
  async estimate(target: { id?: string; path?: string }, options: ModelLoadOptions = {}): Promise<LoadEstimate> {
    const path = target.path ?? (await this.pathOf(target.id!));
    assertAbsolute('estimateLoad', path);
    const llama = await this.llama();
    const { insights } = await parseModelFile(path, llama);
    const settings = this.engine.getSettings();
    const machine = await this.engine.machineMemory();
    const kvType = options.kvCacheType ?? settings.kvCacheType;
    const flashAttention = (options.flashAttention ?? settings.flashAttention) && insights.flashAttentionSupported;
    const gpuLayers = options.gpuLayers ?? settings.gpuLayers;
    let scored;
    try {
      scored = await insights.configurationResolver.resolveAndScoreConfig({
        targetGpuLayers: gpuLayers === 'auto' ? undefined : gpuLayers,
        targetContextSize: Math.min(options.contextSize ?? settings.contextSize, insights.trainContextSize ?? Infinity),
        flashAttention,
        kvCacheKeyType: KV_CACHE_GGML[kvType],
        kvCacheValueType: KV_CACHE_GGML[valueCacheType(kvType, flashAttention)]
      });
    } catch (error) {
      throw new InvalidModelFileError(path, `its tensors cannot be sized (${(error as Error).message})`);
    }
    return {
      path,
      fit: fitFromResolver(scored.resolvedValues, scored.compatibilityScore, insights.modelSize, insights.totalLayers, machine),
      totalLayers: insights.totalLayers,
      trainContextSize: insights.trainContextSize ?? 0,
      flashAttentionSupported: insights.flashAttentionSupported
    };
  }

  private async pathOf(id: string): Promise<string> {
    if (id.includes('/') || id.includes('\\') || id === '.' || id === '..') throw new UnknownModelFileError(id, this.dir, false);
    const entry = this.catalogue.find(id);
    const candidates = [entry ? fileNameOf(entry) : null, `${id}.gguf`, id].filter((name): name is string => name !== null);
    for (const name of candidates) {
      const path = join(this.dir, name);
      if (name.toLowerCase().endsWith('.gguf') && (await exists(path))) return path;
    }
    throw new UnknownModelFileError(id, this.dir, entry !== undefined);
  }

  private async describe(path: string): Promise<LocalModelFile | null> {
    let link;
    let info;
    try {
      link = await lstat(path);
      info = link.isSymbolicLink() ? await stat(path).catch(() => null) : link;
    } catch {
      return null;
    }
    const fileName = basename(path);
    const entry = this.catalogue.findByFileName(fileName);
    const base = { id: fileName.replace(/\.gguf$/i, ''), linked: link.isSymbolicLink(), catalogueId: entry?.id ?? null };
    if (!info || !info.isFile()) return { ...emptyMetadata(path, 0), ...base, error: `${path} links to a file that is not there any more` };
    const key = `${info.size}:${info.mtimeMs}`;
    let cached = this.metadataCache.get(path);
    if (cached?.key !== key) {
      const metadata = await parseModelFile(path, await this.llama()).then(
        (parsed) => parsed.metadata,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error)))
      );
      cached = { key, metadata };
      this.metadataCache.set(path, cached);
    }
    if (cached.metadata instanceof Error) return { ...emptyMetadata(path, info.size), ...base, error: cached.metadata.message };
    return { ...cached.metadata, ...base, error: null };
  }

  private async llama(): Promise<Llama> {
    return (await this.engine.engine()).llama;
  }
}

function emptyMetadata(path: string, sizeBytes: number): ModelFileMetadata {
  return {
    fileName: basename(path),
    path,
    sizeBytes,
    name: null,
    architecture: null,
    parameters: null,
    parameterCount: null,
    quantization: null,
    contextLength: null,
    layers: null,
    hasChatTemplate: false,
    role: 'chat'
  };
}

function assertAbsolute(operation: string, path: string): void {
  if (!isAbsolute(path)) throw new InvalidArgumentsError(operation, [`the path must be absolute, not ${JSON.stringify(path)}`]);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
