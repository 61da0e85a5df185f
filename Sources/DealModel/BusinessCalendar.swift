/// Business days: Monday to Friday except the public holidays of a country. Built-in national holidays for FR, DE,
/// GB (England and Wales), US (federal), ES, IT, NL and AU (national), fixed and Easter-based, with the
/// substitute days those countries observe; a policy adds or removes days per country. A value; `Sendable`.
public struct BusinessCalendar: Sendable, Hashable, Codable {
    /// Days to treat as holidays on top of the built-in ones, per ISO country code.
    public var extraHolidays: [String: Set<CalendarDate>] = [:]
    /// Built-in holidays to treat as business days, per ISO country code.
    public var removedHolidays: [String: Set<CalendarDate>] = [:]

    public init(
        extraHolidays: [String: Set<CalendarDate>] = [:], removedHolidays: [String: Set<CalendarDate>] = [:]
    ) {
        self.extraHolidays = extraHolidays
        self.removedHolidays = removedHolidays
    }

    /// The countries with built-in holidays.
    public static let builtInCountries = ["AU", "DE", "ES", "FR", "GB", "IT", "NL", "US"]

    public func isHoliday(_ day: CalendarDate, in country: String) -> Bool {
        if extraHolidays[country]?.contains(day) == true { return true }
        if removedHolidays[country]?.contains(day) == true { return false }
        return Self.publicHolidays(country, year: day.year).contains(day)
    }

    public func isBusinessDay(_ day: CalendarDate, in country: String) -> Bool {
        !day.isWeekend && !isHoliday(day, in: country)
    }

    /// The `count`th business day after `day` (`day` itself never counts).
    public func adding(businessDays count: Int, to day: CalendarDate, in country: String) -> CalendarDate {
        var result = day
        var remaining = count
        while remaining > 0 {
            result = result.adding(days: 1)
            if isBusinessDay(result, in: country) { remaining -= 1 }
        }
        return result
    }

    /// The built-in national public holidays of `country` in `year` (empty for a country without built-ins).
    public static func publicHolidays(_ country: String, year: Int) -> Set<CalendarDate> {
        let easter = easterSunday(year)
        func date(_ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }
        func fromEaster(_ days: Int) -> CalendarDate { easter.adding(days: days) }
        switch country {
        case "FR":
            return [
                date(1, 1), fromEaster(1), date(5, 1), date(5, 8), fromEaster(39), fromEaster(50), date(7, 14),
                date(8, 15), date(11, 1), date(11, 11), date(12, 25),
            ]
        case "DE":
            return [
                date(1, 1), fromEaster(-2), fromEaster(1), date(5, 1), fromEaster(39), fromEaster(50), date(10, 3),
                date(12, 25), date(12, 26),
            ]
        case "GB":
            // England and Wales bank holidays; a holiday on a weekend moves to the next free weekday.
            return substituted(
                [date(1, 1), date(12, 25), date(12, 26)],
                keeping: [fromEaster(-2), fromEaster(1)]
                    + [nth(1, weekday: 1, month: 5, year), last(weekday: 1, month: 5, year)]
                    + [last(weekday: 1, month: 8, year)])
        case "US":
            // Federal holidays; Saturday ones are observed on Friday, Sunday ones on Monday.
            let fixed = [date(1, 1), date(6, 19), date(7, 4), date(11, 11), date(12, 25)].map { day in
                day.isoWeekday == 6 ? day.adding(days: -1) : day.isoWeekday == 7 ? day.adding(days: 1) : day
            }
            return Set(
                fixed + [
                    nth(3, weekday: 1, month: 1, year), nth(3, weekday: 1, month: 2, year),
                    last(weekday: 1, month: 5, year), nth(1, weekday: 1, month: 9, year),
                    nth(2, weekday: 1, month: 10, year), nth(4, weekday: 4, month: 11, year),
                ])
        case "ES":
            return [
                date(1, 1), date(1, 6), fromEaster(-2), date(5, 1), date(8, 15), date(10, 12), date(11, 1),
                date(12, 6), date(12, 8), date(12, 25),
            ]
        case "IT":
            return [
                date(1, 1), date(1, 6), fromEaster(1), date(4, 25), date(5, 1), date(6, 2), date(8, 15), date(11, 1),
                date(12, 8), date(12, 25), date(12, 26),
            ]
        case "NL":
            // King's Day moves to the 26th when the 27th is a Sunday.
            let kingsDay = date(4, 27).isoWeekday == 7 ? date(4, 26) : date(4, 27)
            return [date(1, 1), fromEaster(1), kingsDay, fromEaster(39), fromEaster(50), date(12, 25), date(12, 26)]
        case "AU":
            // National public holidays; the King's Birthday as most states keep it (second Monday of June).
            return substituted(
                [date(1, 1), date(1, 26), date(12, 25), date(12, 26)],
                keeping: [fromEaster(-2), fromEaster(1), date(4, 25), nth(2, weekday: 1, month: 6, year)])
        default:
            return []
        }
    }

    /// `movable` days, each moved past weekends and the days already taken, plus `fixed` ones as they fall.
    private static func substituted(_ movable: [CalendarDate], keeping fixed: [CalendarDate]) -> Set<CalendarDate> {
        var result = Set(fixed).union(movable)
        for day in movable {
            guard day.isWeekend else { continue }
            var substitute = day.adding(days: 1)
            while substitute.isWeekend || result.contains(substitute) { substitute = substitute.adding(days: 1) }
            result.insert(substitute)
        }
        return result
    }

    /// The `n`th `weekday` (1 = Monday) of a month.
    private static func nth(_ n: Int, weekday: Int, month: Int, _ year: Int) -> CalendarDate {
        let first = CalendarDate(year: year, month: month, day: 1)!
        let offset = (weekday - first.isoWeekday + 7) % 7
        return first.adding(days: offset + 7 * (n - 1))
    }

    /// The last `weekday` (1 = Monday) of a month.
    private static func last(weekday: Int, month: Int, _ year: Int) -> CalendarDate {
        let next =
            month == 12
            ? CalendarDate(year: year + 1, month: 1, day: 1)!
            : CalendarDate(
                year: year, month: month + 1, day: 1)!
        let lastDay = next.adding(days: -1)
        return lastDay.adding(days: -((lastDay.isoWeekday - weekday + 7) % 7))
    }

    /// Western Easter Sunday (the anonymous Gregorian algorithm).
    public static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)!
    }
}
