/** The constant of Cormack et al. (2009): damps the head of each list so one list cannot dominate. */
export const RRF_K = 60;

export interface FusedItem<T> {
  item: T;
  /** Σ weight / (RRF_K + rank) over the lists the item is in (rank from 1). */
  score: number;
  /** Its rank in each list, from 1; null where absent. */
  ranks: (number | null)[];
}

/**
 * Reciprocal rank fusion: merges rankings by rank alone (bm25 and cosine distances are not comparable).
 * Ties keep the order of the first list that has the item, then the next…
 */
export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[], weights: readonly number[] = lists.map(() => 1)): FusedItem<T>[] {
  const fused = new Map<T, FusedItem<T> & { order: number }>();
  lists.forEach((list, l) =>
    list.forEach((item, index) => {
      let entry = fused.get(item);
      if (!entry) {
        entry = { item, score: 0, ranks: lists.map(() => null), order: fused.size };
        fused.set(item, entry);
      }
      if (entry.ranks[l] !== null) return; // a repeat within one list counts once, at its best rank
      entry.ranks[l] = index + 1;
      entry.score += (weights[l] ?? 1) / (RRF_K + index + 1);
    })
  );
  return [...fused.values()].sort((a, b) => b.score - a.score || a.order - b.order).map(({ order: _, ...rest }) => rest);
}
