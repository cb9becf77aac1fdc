/**
 * Dates: day numbers (days since 1970-01-01, UTC) with ISO `YYYY-MM-DD` strings at every
 * boundary, and the NYSE calendar.
 *
 * @module
 */
export { civilToDay, dayToCivil, dayToIso, isoToDay, parseDateToDay, weekday } from "./_civil.ts";
export { nyseHolidays, nyseTradingDays } from "./calendar.ts";
