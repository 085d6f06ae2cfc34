import { describe, expect, it } from "vitest";
import { parseCron } from "../../src/core/schedule/cron.ts";
import { describeCron } from "../../src/core/schedule/describe.ts";

describe("plain-language descriptions of cron expressions", () => {
  it.each([
    ["*/15 * * * *", "every 15 minutes"],
    ["* * * * *", "every minute"],
    ["0 * * * *", "every hour, on the hour"],
    ["0 2 * * *", "at 02:00 every day"],
    ["30 14 * * 1-5", "at 14:30 on weekdays (Monday to Friday)"],
    ["0 22 * * 0,6", "at 22:00 on weekends"],
    ["0 8 * * 1,3,5", "at 08:00 on Mondays, Wednesdays and Fridays"],
    ["0 18 L * *", "at 18:00 on the last day of the month"],
    ["0 9 * * 5L", "at 09:00 on the last Friday of the month"],
    ["0 9 * * 1#2", "at 09:00 on the second Monday of the month"],
    ["0 9 1,15 * *", "at 09:00 on day 1, 15 of the month"],
    ["0 9 1 * 1", "at 09:00 on day 1 of the month and on Mondays"],
    ["0 9 */2 * 1", "at 09:00 on every 2 days of the month from day 1, if it is also one of Mondays"],
    ["0 8,12,16 * * *", "at 08:00, 12:00 and 16:00 every day"],
    ["*/10 9-17 * * 1-5", "every 10 minutes during hours 09-17 on weekdays (Monday to Friday)"],
    ["0 3 1 jan,jul *", "at 03:00 on day 1 of the month in January, July"],
    ["*/5 * * * 1-5", "every 5 minutes on weekdays (Monday to Friday)"],
    // Only a step that divides the hour repeats every hour alike: */45 runs at :00 and :45, 15 minutes apart.
    ["*/45 * * * *", "every hour at minutes 0 and 45"],
    ["*/25 * * * *", "every hour at minutes 0, 25 and 50"],
    ["*/7 * * * *", "every hour at minutes 0, 7, 14, 21, 28, 35, 42, 49 and 56"],
    ["*/20 * * * *", "every 20 minutes"],
    ["*/45 9-17 * * 1-5", "at minutes 0 and 45 past hours 09-17 on weekdays (Monday to Friday)"],
    ["*/30 9-17 * * *", "every 30 minutes during hours 09-17 every day"],
  ])("%s", (expr, text) => {
    expect(describeCron(parseCron(expr))).toBe(text);
  });
});
