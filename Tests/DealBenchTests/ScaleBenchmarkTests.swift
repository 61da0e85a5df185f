import DealBench
import Testing

/// The scale benchmark's comparison of the registration index with the account index counts what it says it
/// counts. Figures, not timings.
@Suite(.timeLimit(.minutes(2)))
struct ScaleBenchmarkTests {
    @Test func comparesOneEntryPerRegistrationWithOneEntryPerAccount() {
        var benchmark = ScaleBenchmark(registrations: 2000, checks: 200)
        benchmark.accounts = 500
        let report = benchmark.runAccounts()
        #expect(report.perRegistration.entries == 2000)
        #expect(report.perRegistration.spellings == 2000)
        #expect(report.perAccount.entries == 500)
        // Registrations spelt as their account add no spelling; respelled ones mostly do.
        #expect(report.perAccount.spellings > 500 && report.perAccount.spellings < 1000)
        #expect(report.variants == 100)
        #expect(report.perAccount.variantsFound >= report.perRegistration.variantsFound)
        #expect(report.perAccount.variantsFound >= 95)
        #expect(report.description.contains("per account (after)"))
    }
}
