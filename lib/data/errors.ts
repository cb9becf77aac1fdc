/**
 * Input errors that name the file, the row (or day) and the column.
 *
 * @module
 */

/** Where in the input a problem was found. */
export interface DataErrorLocation {
  /** Path of the offending file. */
  file: string;
  /** 1-based line number in the file (header = line 1), or a day for per-day problems. */
  row?: number | string;
  /** Column name. */
  column?: string;
}

/** A bad-input error whose message names file, row and column. */
export class DataError extends Error {
  /** Where the problem is. */
  readonly location: DataErrorLocation;

  /** Builds the message "file: row N, column C: what". */
  constructor(location: DataErrorLocation, what: string) {
    const parts = [location.file];
    if (location.row !== undefined) {
      parts.push(typeof location.row === "number" ? `row ${location.row}` : `day ${location.row}`);
    }
    if (location.column !== undefined) parts.push(`column '${location.column}'`);
    super(`${parts.join(", ")}: ${what}`);
    this.name = "DataError";
    this.location = location;
  }
}
