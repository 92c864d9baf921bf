// How old a forecast's data is: its newest candle against the wall clock (when it closed) and against data.end (--end),
// with a warning when it closed more than OLD_DATA_WARNING_HOURS ago (step 8 records it in every predictions file).
import { z } from 'zod';
import { HOUR_MS } from '../data/candles.ts';
import { isoHour } from '../util/calendar.ts';


/** A forecast from a candle older than this (hours since it closed) comes with a warning. */
export const OLD_DATA_WARNING_HOURS = 2;

export const forecastAgeSchema = z.object({
  /** open time of the newest candle used, and when it closed (an hour later) */
  last_candle: z.string(),
  last_candle_closed_at: z.string(),
  /** the wall clock when the forecast was made */
  now: z.string(),
  /** hours from the newest candle's close to now */
  hours_before_now: z.number(),
  /** hours from the newest candle to the last hour of data.end (--end) */
  hours_before_end: z.number(),
  /** set when hours_before_now > OLD_DATA_WARNING_HOURS */
  warning: z.string().nullable(),
}).strict();
export type ForecastAge = z.infer<typeof forecastAgeSchema>;

/** The age of a forecast's data: its newest candle against the clock and against data.end. */
export function forecastAge(lastHourMs: number, nowMs: number, endMs: number): ForecastAge {
  const closed = lastHourMs + HOUR_MS;
  const hoursBeforeNow = (nowMs - closed) / HOUR_MS;
  const old = hoursBeforeNow > OLD_DATA_WARNING_HOURS;
  const ago = hoursBeforeNow >= 48 ? `${(hoursBeforeNow / 24).toFixed(1)} days` : `${hoursBeforeNow.toFixed(1)} h`;
  return {
    last_candle: isoHour(lastHourMs), last_candle_closed_at: isoHour(closed), now: new Date(nowMs).toISOString(),
    hours_before_now: hoursBeforeNow, hours_before_end: (endMs - lastHourMs) / HOUR_MS,
    warning: old ? `the newest candle (${isoHour(lastHourMs)}) closed ${ago} ago, more than ${OLD_DATA_WARNING_HOURS} h: ` +
      `this forecast is for hours that may have passed; update the data for a forecast of the coming hours` : null,
  };
}
