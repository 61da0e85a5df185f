import DealModel
import Testing

@Suite("BusinessCalendar")
struct BusinessCalendarTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    @Test(arguments: [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28")])
    func knowsEasterSunday(year: Int, easter: String) {
        #expect(BusinessCalendar.easterSunday(year) == Self.day(easter))
    }

    /// The case: filed on a Friday before Whit Monday (a French public holiday), due on Wednesday.
    @Test func aFrenchReviewFiledBeforeWhitMondayIsDueOnWednesday() {
        let calendar = BusinessCalendar()
        #expect(calendar.isHoliday(Self.day("2027-05-17"), in: "FR"))
        #expect(calendar.adding(businessDays: 2, to: Self.day("2027-05-14"), in: "FR") == Self.day("2027-05-19"))
        // Without the holiday (a country that works that Monday) the same review is due on Tuesday.
        #expect(calendar.adding(businessDays: 2, to: Self.day("2027-05-14"), in: "US") == Self.day("2027-05-18"))
    }

    @Test(arguments: [
        ("FR", "2026-07-14"), ("FR", "2026-11-11"), ("DE", "2026-10-03"), ("DE", "2026-04-03"),
        ("GB", "2027-12-27"), ("GB", "2027-12-28"), ("GB", "2022-12-27"), ("GB", "2026-05-25"),
        ("US", "2027-07-05"), ("US", "2026-11-26"), ("US", "2026-01-19"), ("ES", "2026-10-12"),
        ("IT", "2026-06-02"), ("IT", "2026-04-06"), ("NL", "2025-04-26"), ("NL", "2026-05-14"),
        ("AU", "2025-01-27"), ("AU", "2026-04-25"), ("AU", "2026-06-08"),
    ])
    func knowsPublicHolidays(country: String, day: String) {
        #expect(BusinessCalendar().isHoliday(Self.day(day), in: country), "\(country) \(day)")
    }

    @Test(arguments: [
        ("FR", "2026-12-24"), ("DE", "2026-07-14"), ("GB", "2027-12-29"), ("NL", "2025-04-27"), ("US", "2027-07-04"),
    ])
    func otherDaysAreNotHolidays(country: String, day: String) {
        #expect(!BusinessCalendar().isHoliday(Self.day(day), in: country), "\(country) \(day)")
    }

    @Test func aPolicyAddsAndRemovesHolidays() {
        let calendar = BusinessCalendar(
            extraHolidays: ["FR": [Self.day("2026-12-24")]], removedHolidays: ["FR": [Self.day("2026-12-25")]])
        #expect(calendar.isHoliday(Self.day("2026-12-24"), in: "FR"))
        #expect(!calendar.isHoliday(Self.day("2026-12-25"), in: "FR"))
        #expect(!calendar.isHoliday(Self.day("2026-12-24"), in: "DE"))
        // Wednesday the 23rd + 2 business days: the 24th is off, the 25th works, the 26th-27th are a weekend.
        #expect(calendar.adding(businessDays: 2, to: Self.day("2026-12-23"), in: "FR") == Self.day("2026-12-28"))
    }

    @Test func weekendsAreNeverBusinessDaysAndZeroDaysIsTheSameDay() {
        let calendar = BusinessCalendar()
        #expect(!calendar.isBusinessDay(Self.day("2026-11-28"), in: "FR"))
        #expect(calendar.adding(businessDays: 0, to: Self.day("2026-11-28"), in: "FR") == Self.day("2026-11-28"))
        #expect(calendar.adding(businessDays: 1, to: Self.day("2026-11-27"), in: "") == Self.day("2026-11-30"))
    }
}
