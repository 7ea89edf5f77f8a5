import type { EntityCandidate } from '../types';

/** How much lower a containing entity may score and still absorb an entity inside it (an address absorbs its city). */
const containerScoreTolerance = 0.15;
const maxClusterForAbsorption = 64;

/**
 * Turns overlapping candidates into non-overlapping entities sorted by start:
 * same-type overlaps are merged, an entity inside a comparably scored one of another type is absorbed,
 * and remaining conflicts go to the higher score, then the longer span.
 */
export function resolveEntities(candidates: readonly EntityCandidate[]): EntityCandidate[] {
  const merged = mergeSameType(candidates);
  const resolved: EntityCandidate[] = [];
  for (const cluster of overlapClusters(merged)) resolved.push(...resolveCluster(cluster));

  return resolved.sort((a, b) => a.start - b.start);
}

function mergeSameType(candidates: readonly EntityCandidate[]) {
  const sorted = [...candidates].sort((a, b) => compareTypes(a, b) || a.start - b.start || b.end - a.end);
  const merged: EntityCandidate[] = [];
  for (const candidate of sorted) {
    const last = merged.at(-1);
    if (last == null || last.type !== candidate.type || candidate.start >= last.end) {
      merged.push({ ...candidate });
      continue;
    }

    if (candidate.score > last.score) {
      last.score = candidate.score;
      last.detector = candidate.detector;
    }
    last.end = Math.max(last.end, candidate.end);
  }

  return merged.sort((a, b) => a.start - b.start || b.end - a.end);
}

function compareTypes(a: EntityCandidate, b: EntityCandidate) {
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/** Groups start-sorted candidates into runs whose spans chain together by overlap. */
function* overlapClusters(sorted: readonly EntityCandidate[]) {
  let cluster: EntityCandidate[] = [];
  let clusterEnd = -1;
  for (const candidate of sorted) {
    if (candidate.start >= clusterEnd && cluster.length > 0) {
      yield cluster;
      cluster = [];
    }

    cluster.push(candidate);
    clusterEnd = Math.max(clusterEnd, candidate.end);
  }

  if (cluster.length > 0) yield cluster;
}

function resolveCluster(cluster: readonly EntityCandidate[]) {
  if (cluster.length === 1) return cluster;

  // Pairwise absorption is quadratic; long chains only come from adversarial input and skip it
  const survivors =
    cluster.length > maxClusterForAbsorption
      ? [...cluster]
      : cluster.filter(
          (inner) =>
            !cluster.some(
              (outer) =>
                outer !== inner &&
                outer.start <= inner.start &&
                inner.end <= outer.end &&
                outer.end - outer.start > inner.end - inner.start &&
                outer.score >= inner.score - containerScoreTolerance
            )
        );

  const byPreference = survivors.sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const clusterStart = cluster[0]!.start;
  const clusterEnd = cluster.reduce((end, candidate) => Math.max(end, candidate.end), clusterStart);
  const occupied = new Uint8Array(clusterEnd - clusterStart);
  const accepted: EntityCandidate[] = [];
  for (const candidate of byPreference) {
    const from = candidate.start - clusterStart;
    const to = candidate.end - clusterStart;
    if (occupied.subarray(from, to).includes(1)) continue;

    occupied.fill(1, from, to);
    accepted.push(candidate);
  }

  return accepted;
}
