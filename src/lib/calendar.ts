/**
 * Local calendar arithmetic in the organisation's time zone (APP_TIMEZONE): times are stored in UTC
 * and shown, numbered and summed by day in that zone. Building an Intl.DateTimeFormat costs tens of
 * microseconds and every posting asks for the day, so formatters are made once per zone and kept.
 */

export type Instant = Date | string;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export type LocalParts = { y: string; m: string; d: string; h: string; min: string };

/** Year, month, day, hour and minute of an instant as a clock in `timeZone` shows them (zero-padded). */
export function localParts(at: Instant, timeZone: string): LocalParts {
  const parts = formatter(timeZone).formatToParts(typeof at === 'string' ? new Date(at) : at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), min: get('minute') };
}

/** The local date as YYYYMMDD (document numbers). */
export function localDay(at: Date, timeZone: string): string {
  const { y, m, d } = localParts(at, timeZone);
  return `${y}${m}${d}`;
}

/** The local date as YYYY-MM-DD (expiry, periods, reports). */
export function localDate(at: Date, timeZone: string): string {
  const { y, m, d } = localParts(at, timeZone);
  return `${y}-${m}-${d}`;
}

/** The local time of day as HH:MM (schedules such as DIGEST_TIME). */
export function localTime(at: Date, timeZone: string): string {
  const { h, min } = localParts(at, timeZone);
  return `${h}:${min}`;
}

/** "11-25 14:05" in the given zone: short, for status lines. */
export function formatTime(at: Instant, timeZone: string): string {
  const { m, d, h, min } = localParts(at, timeZone);
  return `${m}-${d} ${h}:${min}`;
}

/** "2025-11-25 14:05" in the given zone. */
export function formatDateTime(at: Instant, timeZone: string): string {
  const { y, m, d, h, min } = localParts(at, timeZone);
  return `${y}-${m}-${d} ${h}:${min}`;
}

/** A calendar date `days` after YYYY-MM-DD (negative: before). */
export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another ("2025-11-25" → "2025-12-01" is 6). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const t = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === text;
}

/** The instant a local date begins in `timeZone` (a due date's end is the next date's midnight). */
export function localMidnight(date: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that moment, read back from the clock; a second pass settles DST edges.
  const offsetAt = (t: number) => {
    const p = localParts(new Date(t), timeZone);
    return Date.parse(`${p.y}-${p.m}-${p.d}T${p.h}:${p.min}:00Z`) - t;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/** Named stretches of local days: `today` … `last_month`. Weeks start on Monday, as Chinese calendars do. */
export type LocalPeriod = 'today' | 'yesterday' | 'this_week' | 'last_week' | 'this_month' | 'last_month';

/** The local days a period covers, `from` inclusive and `to` exclusive (YYYY-MM-DD), around `now` in `timeZone`. */
export function periodDays(period: LocalPeriod, now: Date, timeZone: string): { from: string; to: string } {
  const today = localDate(now, timeZone);
  const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
  const first = `${today.slice(0, 8)}01`;
  const firstOf = (date: string, months: number) => {
    const t = new Date(`${date}T00:00:00Z`);
    t.setUTCMonth(t.getUTCMonth() + months, 1);
    return t.toISOString().slice(0, 10);
  };
  switch (period) {
    case 'today': return { from: today, to: addDays(today, 1) };
    case 'yesterday': return { from: addDays(today, -1), to: today };
    case 'this_week': return { from: monday, to: addDays(today, 1) };
    case 'last_week': return { from: addDays(monday, -7), to: monday };
    case 'this_month': return { from: first, to: addDays(today, 1) };
    case 'last_month': return { from: firstOf(first, -1), to: first };
  }
}
