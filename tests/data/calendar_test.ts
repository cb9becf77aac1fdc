import assert from "node:assert/strict";
import {
  dayToIso,
  isNyseSession,
  isoToDay,
  nyseEarlyCloses,
  nyseHolidays,
  nyseTradingDays,
} from "../../lib/mod.ts";
import { fixturePath } from "../helpers/fixtures.ts";

const closed = (iso: string) => !isNyseSession(isoToDay(iso));
const sessions = (year: number) =>
  nyseTradingDays(isoToDay(`${year}-01-01`), isoToDay(`${year}-12-31`)).length;

Deno.test("NYSE calendar: unscheduled closures since 1990", () => {
  for (
    const iso of [
      "1994-04-27", // funeral of President Nixon
      "2001-09-11",
      "2001-09-12",
      "2001-09-13",
      "2001-09-14",
      "2004-06-11", // national day of mourning, Reagan
      "2007-01-02", // Ford
      "2012-10-29", // Hurricane Sandy
      "2012-10-30",
      "2018-12-05", // G. H. W. Bush
      "2025-01-09", // Carter
    ]
  ) assert.ok(closed(iso), iso);
  assert.ok(!closed("2001-09-17"), "reopened on Monday 2001-09-17");
  assert.ok(!closed("2012-10-31"));
});

Deno.test("NYSE calendar: holidays by the rules, observed days included", () => {
  const holidays = [
    "2024-01-01",
    "2024-01-15", // MLK Day
    "2024-02-19",
    "2024-03-29", // Good Friday
    "2024-05-27",
    "2024-06-19",
    "2024-07-04",
    "2024-09-02",
    "2024-11-28",
    "2024-12-25",
    "2017-01-02", // New Year's Day on a Sunday: Monday
    "2021-12-24", // Christmas on a Saturday: Friday
    "2022-12-26", // Christmas on a Sunday: Monday
    "2022-06-20", // Juneteenth on a Sunday: Monday
    "2021-07-05", // Independence Day on a Sunday
    "2020-07-03", // Independence Day on a Saturday
    "1998-01-19", // the first MLK Day the exchange closed for
  ];
  for (const iso of holidays) assert.ok(closed(iso), iso);
  const open = [
    "2021-12-31", // New Year's Day 2022 fell on a Saturday: not observed on the Friday
    "2021-06-18", // no Juneteenth before 2022
    "1997-01-20", // MLK Day, before 1998
    "2024-03-28",
    "2020-03-16", // the 2020 crash: open
  ];
  for (const iso of open) assert.ok(!closed(iso), iso);
  assert.equal(nyseHolidays(2024).size, 10);
});

Deno.test("NYSE calendar: sessions per year match the exchange's counts", () => {
  const counts: Record<number, number> = {
    2001: 248, // September 11
    2004: 252,
    2007: 251,
    2012: 250, // Hurricane Sandy
    2018: 251,
    2019: 252,
    2020: 253,
    2021: 252,
    2022: 251,
    2023: 250,
    2024: 252,
  };
  for (const [year, n] of Object.entries(counts)) assert.equal(sessions(Number(year)), n, year);
});

Deno.test("NYSE calendar: early closes", () => {
  const at = (iso: string) => nyseEarlyCloses(Number(iso.slice(0, 4))).get(isoToDay(iso));
  assert.equal(at("2019-11-29"), "13:00"); // day after Thanksgiving
  assert.equal(at("2019-12-24"), "13:00");
  assert.equal(at("2019-07-03"), "13:00"); // a Wednesday: the rule since 2013
  assert.equal(at("2013-07-03"), "13:00");
  assert.equal(at("2002-07-05"), "13:00"); // the Friday after July 4th, 1996-2012
  assert.equal(at("2018-07-03"), "13:00"); // a Tuesday
  assert.equal(at("1992-11-27"), "14:00");
  assert.equal(at("1990-12-24"), "14:00");
  assert.equal(at("2003-12-26"), "13:00");
  assert.equal(at("2021-12-24"), undefined, "a holiday, not an early close");
  assert.equal(at("2020-12-24"), "13:00");
  assert.equal(at("2008-07-03"), "13:00");
  assert.equal(at("2024-07-05"), undefined);
  // Early closes are sessions.
  assert.ok(isNyseSession(isoToDay("2019-11-29")));
});

Deno.test("NYSE calendar agrees with 32 years of real CBOE VIX history", () => {
  // VIX is published on exchange sessions. Through 2021 the two calendars differ only where the
  // VIX file has a gap, and on 2004-06-11 (NYSE closed for Reagan's day of mourning, CBOE open).
  const text = Deno.readTextFileSync(fixturePath("vix-daily.csv")).trim().split("\n").slice(1);
  const vix = text.map((line) => line.split(",")[0]).filter((d) => d <= "2021-12-31");
  const vixDays = new Set(vix);
  const nyse = nyseTradingDays(isoToDay("1990-01-02"), isoToDay("2021-12-31")).map(dayToIso);
  const nyseDays = new Set(nyse);
  assert.deepEqual(vix.filter((d) => !nyseDays.has(d)), ["2004-06-11"]);
  assert.deepEqual(nyse.filter((d) => !vixDays.has(d)), [
    "1991-03-01",
    "1997-01-31",
    "1997-11-26",
    "1999-12-31",
  ]);
  assert.equal(nyse.length, 8064);
});
