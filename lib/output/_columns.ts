/**
 * Reading polars frame columns into typed arrays once, for the kernels of the tear sheet and the
 * trade analytics (internal).
 *
 * @module
 */
import pl from "nodejs-polars";

/** A numeric column as Float64, null as NaN. */
export function floats(frame: pl.DataFrame, name: string): Float64Array {
  const values = frame.getColumn(name).cast(pl.Float64).toArray() as (number | null)[];
  return Float64Array.from(values, (v) => (v === null ? NaN : v));
}

/** A Date column as day numbers (days since 1970-01-01). */
export function dayNumbers(frame: pl.DataFrame, name: string): Int32Array {
  return Int32Array.from(frame.getColumn(name).cast(pl.Int32).toArray() as number[]);
}

/** A text column. */
export function texts(frame: pl.DataFrame, name: string): string[] {
  return frame.getColumn(name).toArray() as string[];
}

/** A Date series from day numbers. */
export function dateSeries(name: string, days: ArrayLike<number>): pl.Series {
  return pl.Series(name, Int32Array.from(days)).cast(pl.Date);
}

/** A Float64 series with NaN as null. */
export function nullableSeries(name: string, values: ArrayLike<number>): pl.Series {
  return pl.Series(name, Array.from(values, (v) => (Number.isNaN(v) ? null : v)), pl.Float64);
}
