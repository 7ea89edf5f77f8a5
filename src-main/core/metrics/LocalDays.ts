import { InvalidStatsRangeError, InvalidTimeZoneError } from './errors';

/** One local calendar day: its yyyy-mm-dd name and its first and past-the-last instants (ms since the epoch). */
export interface LocalDay {
  day: string;
  start: number;
  end: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const OFFSET = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$/i;
const DAY_MS = 86_400_000;
/** About ten years of days: a bound on the per-day rows and on the boundary list handed to SQLite. */
export const MAX_RANGE_DAYS = 3700;

/**
 * Calendar days in one time zone: an IANA zone (its offset follows daylight saving time, so a day can last
 * 23 or 25 hours) or a fixed UTC offset. Day boundaries are computed here, once per day, so SQLite only
 * compares integers.
 */
export class LocalDays {
  private readonly offsetMinutes: number | null;
  private readonly format: Intl.DateTimeFormat | null;
  /** Each day's first instant once computed: a year of days costs hundreds of Intl calls, and queries repeat them. */
  private readonly starts = new Map<string, number>();

  constructor(readonly timeZone: string) {
    const zone = timeZone.trim();
    const fixed = OFFSET.exec(zone);
    if (/^(UTC|GMT|Z)$/i.test(zone)) {
      this.offsetMinutes = 0;
      this.format = null;
    } else if (fixed) {
      const minutes = Number(fixed[2]) * 60 + Number(fixed[3]);
      if (Number(fixed[2]) > 14 || Number(fixed[3]) > 59) throw new InvalidTimeZoneError(timeZone);
      this.offsetMinutes = fixed[1] === '-' ? -minutes : minutes;
      this.format = null;
    } else {
      try {
        this.format = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit'
        });
      } catch {
        throw new InvalidTimeZoneError(timeZone);
      }
      this.offsetMinutes = null;
    }
  }

  /** The zone's offset from UTC at an instant, in ms. */
  offsetAt(instant: number): number {
    if (this.offsetMinutes !== null) return this.offsetMinutes * 60_000;
    const parts = Object.fromEntries(this.format!.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second)
    );
    return wall - Math.floor(instant / 1000) * 1000;
  }

  /** The local day an instant falls on. */
  dayOf(instant: number): string {
    return new Date(instant + this.offsetAt(instant)).toISOString().slice(0, 10);
  }

  /** The first instant of a local day (where midnight is skipped by a clock change, the first instant that exists). */
  startOf(day: string): number {
    let start = this.starts.get(day);
    if (start === undefined) {
      start = this.computeStart(day);
      this.starts.set(day, start);
    }
    return start;
  }

  private computeStart(day: string): number {
    const wallMidnight = Date.UTC(...parseDay(day));
    const offset = this.offsetAt(wallMidnight);
    let instant = wallMidnight - offset;
    // No clock change near midnight (nearly every day): the offset holds at the guess, which is then exact.
    if (this.offsetAt(instant) === offset) return instant;
    // Near a clock change the first guess uses the offset on the wrong side of it: correct once.
    const corrected = wallMidnight - this.offsetAt(instant);
    if (corrected !== instant && this.dayOf(corrected) === day) instant = corrected;
    while (this.dayOf(instant - 1) === day) instant -= 15 * 60_000;
    while (this.dayOf(instant) !== day) instant += 15 * 60_000;
    return instant;
  }

  /** Every day from `from` to `to`, both included. */
  range(from: string, to: string): LocalDay[] {
    const first = Date.UTC(...parseDay(from));
    const last = Date.UTC(...parseDay(to));
    if (last < first) throw new InvalidStatsRangeError(`The range ends (${to}) before it starts (${from}).`);
    const count = Math.round((last - first) / DAY_MS) + 1;
    if (count > MAX_RANGE_DAYS)
      throw new InvalidStatsRangeError(`The range covers ${count} days; at most ${MAX_RANGE_DAYS} can be shown at once.`);
    const names = Array.from({ length: count + 1 }, (_, index) => new Date(first + index * DAY_MS).toISOString().slice(0, 10));
    const starts = names.map((name) => this.startOf(name));
    return names.slice(0, count).map((day, index) => ({ day, start: starts[index]!, end: starts[index + 1]! }));
  }
}

/** [year, month index, day] of a yyyy-mm-dd date; refuses dates that do not exist (2026-02-30). */
export function parseDay(day: string): [number, number, number] {
  const match = DATE.exec(day);
  const parts: [number, number, number] | null = match ? [Number(match[1]), Number(match[2]) - 1, Number(match[3])] : null;
  if (!parts || new Date(Date.UTC(...parts)).toISOString().slice(0, 10) !== day)
    throw new InvalidStatsRangeError(`"${day.slice(0, 40)}" is not a date.`);
  return parts;
}
