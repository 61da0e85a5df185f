import DealModel
import DealWire
import Testing

@testable import Enforcement

/// Bookings under the policy's product catalog: a line it does not know is refused with the nearest ones, and a
/// booking on a line under a protected one is a violation, however the line is spelt.
@Suite struct ProductCatalogEnforcementTests {
    typealias Harness = EnforcementCoreTests.Harness

    static func booking(_ order: String, lines: [String], by bookedBy: String, on day: CalendarDate) -> Booking {
        var booking = EnforcementCoreTests.booking(order, by: bookedBy, on: day)
        booking.productLines = lines
        return booking
    }

    @Test func refusesABookingOfALineTheCatalogDoesNotKnowNamingTheNearest() throws {
        var harness = try Harness()
        harness.publish([EnforcementCoreTests.registration(1, by: "acme", decidedOn: harness.today)])
        let refused = harness.book(Self.booking("o-1", lines: ["stor age"], by: "seller-1", on: harness.today))
        guard case .failure(let error) = refused else {
            Issue.record("the booking was recorded: \(refused)")
            return
        }
        #expect(error.code == .invalidField && error.field == "booking.product_lines")
        #expect(error.message == "Unknown product line 'stor age'; nearest: storage.")
    }

    @Test(arguments: ["storage-arrays", "SAN", "storage/backup"])
    func aBookingUnderAProtectedLineIsAViolationHoweverItIsSpelt(written: String) throws {
        var harness = try Harness()
        harness.publish([EnforcementCoreTests.registration(1, by: "acme", decidedOn: harness.today)])
        #expect(
            harness.types(Self.booking("o-1", lines: [written], by: "seller-1", on: harness.today)) == ["DIRECT_BYPASS"]
        )
        #expect(harness.types(Self.booking("o-2", lines: ["servers"], by: "seller-1", on: harness.today)).isEmpty)
    }
}
