import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelPrice } from '../shared/types';
import { resourcePath } from '../paths';
import type { CloudUsage, ProviderKind } from './CloudClient';

const priceSchema = z.object({ input: z.number().min(0).max(100_000), output: z.number().min(0).max(100_000) }).strict();
const modelPrices = z.record(z.string().min(1).max(300), priceSchema);
const priceFileSchema = z.object({
  about: z.string().optional(),
  kinds: z.record(z.string(), modelPrices).default({}),
  providers: z.record(z.string(), modelPrices).default({})
});
type PriceFile = z.infer<typeof priceFileSchema>;

export const USER_PRICE_FILE = 'prices.json';

/**
 * Prices per million tokens: the bundled table in resources/prices.json, overridden entry by entry by
 * a prices.json in the data folder. A broken user file is reported (`userFileError`), not fatal.
 */
export class PriceTable {
  private constructor(
    private readonly table: PriceFile,
    readonly userFileError: string | null
  ) {}

  static load(dataDir: string, bundledFile = resourcePath('prices.json')): PriceTable {
    const bundled = priceFileSchema.parse(JSON.parse(readFileSync(bundledFile, 'utf8')));
    const userFile = join(dataDir, USER_PRICE_FILE);
    if (!existsSync(userFile)) return new PriceTable(bundled, null);
    try {
      const user = priceFileSchema.parse(JSON.parse(readFileSync(userFile, 'utf8')));
      return new PriceTable(merge(bundled, user), null);
    } catch (error) {
      const detail = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
      return new PriceTable(bundled, `${userFile} was ignored: ${detail}`);
    }
  }

  /** Model ids with a known price for this kind of provider (what the picker offers before a provider lists its own). */
  knownModels(kind: ProviderKind, providerName: string): string[] {
    return [...new Set([...Object.keys(this.table.providers[providerName] ?? {}), ...Object.keys(this.table.kinds[kind] ?? {})])];
  }

  /** Every priced model as `kind/model` (by provider kind) or `provider/model` (one named provider's own prices). */
  pricedRefs(): string[] {
    const refs = (section: Record<string, Record<string, unknown>>) =>
      Object.entries(section).flatMap(([prefix, prices]) => Object.keys(prices).map((model) => `${prefix}/${model}`));
    return [...new Set([...refs(this.table.providers), ...refs(this.table.kinds)])];
  }

  priceOf(kind: ProviderKind, providerName: string, model: string): ModelPrice | null {
    const price = this.table.providers[providerName]?.[model] ?? this.table.kinds[kind]?.[model];
    return price ? { inputPerMillion: price.input, outputPerMillion: price.output } : null;
  }
}

/** US dollars for the given usage; null when the price is unknown. */
export function costOf(price: ModelPrice | null, usage: CloudUsage): number | null {
  if (!price) return null;
  return (usage.promptTokens * price.inputPerMillion + usage.completionTokens * price.outputPerMillion) / 1_000_000;
}

function merge(base: PriceFile, override: PriceFile): PriceFile {
  const kinds = { ...base.kinds };
  for (const [kind, prices] of Object.entries(override.kinds)) kinds[kind] = { ...kinds[kind], ...prices };
  return { kinds, providers: { ...base.providers, ...override.providers } };
}
