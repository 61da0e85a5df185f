import DealModel
import Testing

@Suite("ProgramPolicy")
struct ProgramPolicyTests {
    @Test(arguments: [
        ("2026-11-27", "2026-12-01"),  // Friday → Tuesday
        ("2026-11-23", "2026-11-25"),  // Monday → Wednesday
        ("2026-11-26", "2026-11-30"),  // Thursday → Monday
        ("2026-11-28", "2026-12-01"),  // Saturday → Tuesday
        ("2026-11-29", "2026-12-01"),  // Sunday → Tuesday
        ("2025-12-31", "2026-01-02"),  // across a year end
    ])
    func reviewIsDueAfterTwoBusinessDaysSkippingWeekends(opened: String, due: String) throws {
        let day = try #require(CalendarDate(iso: opened))
        #expect(ProgramPolicy().reviewDue(openedOn: day).description == due)
    }

    @Test func reviewDueFollowsTheConfiguredBusinessDays() throws {
        var policy = ProgramPolicy()
        policy.reviewSLABusinessDays = 5
        let friday = try #require(CalendarDate(iso: "2026-11-27"))
        #expect(policy.reviewDue(openedOn: friday).description == "2026-12-04")
        policy.reviewSLABusinessDays = 0
        #expect(policy.reviewDue(openedOn: friday) == friday)
    }

    @Test func protectionEndsAfterTheProtectionDays() throws {
        let day = try #require(CalendarDate(iso: "2026-11-27"))
        #expect(ProgramPolicy().protectionEnd(grantedOn: day).description == "2027-02-25")
        var policy = ProgramPolicy()
        policy.protectionDays = 30
        #expect(policy.protectionEnd(grantedOn: day).description == "2026-12-27")
    }

    @Test func defaultsAreThePublishedTerms() {
        let policy = ProgramPolicy()
        #expect(policy.conflictThreshold == 0.95)
        #expect(policy.reviewThreshold == 0.20)
        #expect(policy.protectionDays == 90)
        #expect(policy.reviewSLABusinessDays == 2)
    }
}
