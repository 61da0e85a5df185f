import DealModel
import Testing

@Suite("CalendarDate")
struct CalendarDateTests {
    @Test(arguments: ["2024-02-29", "2000-02-29", "2025-12-31", "2025-01-01", "0001-01-01", "9999-12-31", "2025-04-30"])
    func parsesRealDaysAndPrintsThemBack(text: String) throws {
        let date = try #require(CalendarDate(iso: text))
        #expect(date.description == text)
    }

    @Test func parsesIntoYearMonthAndDay() throws {
        let date = try #require(CalendarDate(iso: "2024-02-29"))
        #expect(date.year == 2024)
        #expect(date.month == 2)
        #expect(date.day == 29)
    }

    @Test(arguments: [
        "2025-02-29",  // not a leap year
        "1900-02-29",  // century, not a leap year
        "2025-04-31",
        "2025-13-01",
        "2025-00-10",
        "2025-01-00",
        "2025-01-32",
        "0000-01-01",
        "2025-1-01",
        "25-01-01",
        "2025-01-1",
        "20250101",
        "2025/01/01",
        "2025-01-01T00:00",
        "2025-01-01-",
        "abcd-ef-gh",
        " 2025-01-01",
        "",
    ])
    func rejectsTextThatIsNotADay(text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test(arguments: ["+024-01-01", "2024-+1-01", "2024-01-+1"])
    func rejectsSignedFields(text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test(arguments: [
        ("2024-02-28", 1, "2024-02-29"),
        ("2024-02-28", 2, "2024-03-01"),
        ("2025-02-28", 1, "2025-03-01"),
        ("2025-12-31", 1, "2026-01-01"),
        ("2026-03-01", -1, "2026-02-28"),
        ("2026-01-01", -365, "2025-01-01"),
        ("2024-01-01", 366, "2025-01-01"),
        ("2026-11-27", 90, "2027-02-25"),
        ("2026-11-27", 0, "2026-11-27"),
        ("1970-01-01", -1, "1969-12-31"),
    ])
    func addsDaysAcrossMonthAndYearEnds(start: String, days: Int, expected: String) throws {
        let date = try #require(CalendarDate(iso: start))
        #expect(date.adding(days: days).description == expected)
    }

    @Test(arguments: [
        ("1970-01-01", 0),
        ("1970-01-02", 1),
        ("1969-12-31", -1),
        ("2000-01-01", 10_957),
        ("2024-02-29", 19_782),
        ("2026-11-29", 20_786),
        ("0001-01-01", -719_162),
        ("9999-12-31", 2_932_896),
    ])
    func countsDaysSinceTheEpoch(text: String, days: Int) throws {
        let date = try #require(CalendarDate(iso: text))
        #expect(date.daysSinceEpoch == days)
        #expect(CalendarDate(daysSinceEpoch: days) == date)
    }

    @Test func daysSinceEpochRoundTripsOverFourCenturiesDayByDay() throws {
        // 1800-01-01 ... 2200-12-31 covers 1900 (not leap), 2000 (leap) and 2100 (not leap).
        var previous = try #require(CalendarDate(iso: "1799-12-31"))
        for days in -62_091...84_370 {
            let date = CalendarDate(daysSinceEpoch: days)
            guard date.daysSinceEpoch == days,
                CalendarDate(year: date.year, month: date.month, day: date.day) == date,
                date > previous,
                previous.adding(days: 1) == date
            else {
                Issue.record("day \(days) gives \(date), after \(previous)")
                return
            }
            previous = date
        }
        #expect(previous.description == "2200-12-31")
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01"),
        (86_399, "1970-01-01"),
        (86_400, "1970-01-02"),
        (-1, "1969-12-31"),
        (-86_400, "1969-12-31"),
        (-86_401, "1969-12-30"),
        (1_795_910_400, "2026-11-29"),
    ])
    func mapsSecondsSinceEpochToTheUTCDay(seconds: Int64, expected: String) {
        #expect(CalendarDate(secondsSinceEpoch: seconds).description == expected)
    }

    @Test(arguments: [
        ("1970-01-01", 4),  // Thursday
        ("2026-11-29", 7),  // Sunday
        ("2026-11-27", 5),  // Friday
        ("2026-11-28", 6),  // Saturday
        ("2026-11-30", 1),  // Monday
        ("2000-01-01", 6),
        ("2024-02-29", 4),
        ("1969-12-29", 1),  // before the epoch
        ("0001-01-01", 1),
    ])
    func givesTheISOWeekday(text: String, weekday: Int) throws {
        let date = try #require(CalendarDate(iso: text))
        #expect(date.isoWeekday == weekday)
        #expect(date.isWeekend == (weekday >= 6))
    }

    @Test func ordersByDay() throws {
        let earlier = try #require(CalendarDate(iso: "2025-12-31"))
        let later = try #require(CalendarDate(iso: "2026-01-01"))
        #expect(earlier < later)
        #expect(!(later < earlier))
        #expect([later, earlier].sorted() == [earlier, later])
    }
}
