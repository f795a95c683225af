/**
 * Forecasting daily demand with a weekly pattern (restaurants sell twice as much at weekends).
 * Pure: a series of daily quantities in, expected quantities out. Statistics in binary floats on
 * purpose: a forecast is an estimate, rounded to the 3 places of a quantity where it leaves here.
 */

/** The period of the pattern: a week of days. */
export const SEASON = 7;

export type ForecastMethod =
  /** Holt-Winters with additive trend and weekly season, smoothing constants fitted to the history. */
  | 'holt_winters_additive'
  /** One to two weeks of history: each weekday's average (too short to fit a trend). */
  | 'weekday_average'
  /** Less than a week: the average day. */
  | 'mean'
  /** No history at all: nothing is expected. */
  | 'none';

export type SeriesForecast = { method: ForecastMethod; values: number[]; params?: Params };

export type Params = { alpha: number; beta: number; gamma: number };

// A small grid fitted by one-step-ahead squared error: cheap for a year of days, and deterministic.
const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7];
const BETAS = [0, 0.05, 0.1];
const GAMMAS = [0.05, 0.1, 0.2, 0.3, 0.5];

/**
 * Expected demand for the `horizon` days right after the series (index 0 of the result is the day
 * after the last one given). `series[i]` is one day's demand, consecutive days, missing days as 0.
 * Two full weeks or more: Holt-Winters additive; one week: weekday averages; less: the mean.
 * Never negative: a falling trend stops at nothing sold.
 */
export function forecastSeries(series: readonly number[], horizon: number): SeriesForecast {
  const n = series.length;
  if (n === 0) return { method: 'none', values: Array(horizon).fill(0) };
  if (n < SEASON) {
    const mean = series.reduce((a, b) => a + b, 0) / n;
    return { method: 'mean', values: Array(horizon).fill(mean) };
  }
  if (n < 2 * SEASON) return { method: 'weekday_average', values: weekdayAverage(series, horizon) };
  let best: { sse: number; params: Params } | undefined;
  for (const alpha of ALPHAS) for (const beta of BETAS) for (const gamma of GAMMAS) {
    const sse = holtWinters(series, { alpha, beta, gamma }, 0).sse;
    if (!best || sse < best.sse - 1e-9) best = { sse, params: { alpha, beta, gamma } };
  }
  const { values } = holtWinters(series, best!.params, horizon);
  return { method: 'holt_winters_additive', values: values.map((v) => Math.max(0, v)), params: best!.params };
}

/** Each weekday's average over the days given, laid over the horizon in weekday order. */
function weekdayAverage(series: readonly number[], horizon: number): number[] {
  const sums = Array<number>(SEASON).fill(0);
  const counts = Array<number>(SEASON).fill(0);
  series.forEach((v, i) => {
    sums[i % SEASON]! += v;
    counts[i % SEASON]! += 1;
  });
  return Array.from({ length: horizon }, (_, h) => {
    const k = (series.length + h) % SEASON;
    return sums[k]! / counts[k]!;
  });
}

/**
 * Holt-Winters, additive trend and season (Hyndman & Athanasopoulos, FPP3 §8.3), started the
 * classic way: level = the first week's mean, trend = the week-on-week change of the means / 7,
 * season = the first week's deviations from its mean. Needs two weeks. Returns the one-step-ahead
 * squared error over the series (to fit the constants) and the forecast for `horizon` days.
 */
export function holtWinters(series: readonly number[], p: Params, horizon: number): { sse: number; values: number[] } {
  const mean = (from: number) => series.slice(from, from + SEASON).reduce((a, b) => a + b, 0) / SEASON;
  let level = mean(0);
  let trend = (mean(SEASON) - level) / SEASON;
  const season = series.slice(0, SEASON).map((v) => v - level);
  let sse = 0;
  series.forEach((y, t) => {
    const s = season[t % SEASON]!;
    const expected = level + trend + s;
    sse += (y - expected) ** 2;
    const previous = level;
    level = p.alpha * (y - s) + (1 - p.alpha) * (level + trend);
    trend = p.beta * (level - previous) + (1 - p.beta) * trend;
    season[t % SEASON] = p.gamma * (y - level) + (1 - p.gamma) * s;
  });
  const n = series.length;
  const values = Array.from({ length: horizon }, (_, h) => level + (h + 1) * trend + season[(n + h) % SEASON]!);
  return { sse, values };
}
