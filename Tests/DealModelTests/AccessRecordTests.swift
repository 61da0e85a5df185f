import DealModel
import Testing

/// Which reads the registry's access log records (issue 18): the vendor's side reading partners' registrations,
/// never the registration's own side, the vendor reading its own direct deals, or the cluster's machines.
@Suite struct AccessRecordTests {
    static func records(
        _ reader: String, _ kind: PartyKind, registrant: String = "acme", registrantKind: PartyKind? = .partner,
        holder: String = "acme", holderKind: PartyKind = .partner
    ) -> Bool {
        AccessRecord.records(
            readBy: PartyID(reader), kind: kind, registrant: PartyID(registrant), registrantKind: registrantKind,
            holder: PartyID(holder), holderKind: holderKind)
    }

    @Test(arguments: [PartyKind.channelManager, .enforcementOfficer, .admin, .seller, .service])
    func theVendorsSideReadingAPartnersRegistrationIsRecorded(_ kind: PartyKind) {
        #expect(Self.records("reader", kind))
        // A distributor's filing for a reseller, and a distributor's own, are partners' registrations too.
        #expect(Self.records("reader", kind, registrant: "dist", registrantKind: .distributor))
        #expect(
            Self.records(
                "reader", kind, registrant: "dist", registrantKind: .distributor, holder: "dist",
                holderKind: .distributor))
        // A seller's own direct deal read by the vendor's people is the vendor reading itself.
        #expect(
            !Self.records(
                "reader", kind, registrant: "seller-1", registrantKind: .seller, holder: "seller-1", holderKind: .seller
            ))
    }

    @Test(arguments: [PartyKind.partner, .distributor, .checkWorker, .enforcementService])
    func theChannelAndTheClustersMachinesAreNotRecorded(_ kind: PartyKind) {
        #expect(!Self.records("reader", kind))
    }

    @Test func theRegistrationsOwnSideIsNotRecorded() {
        #expect(!Self.records("acme", .partner))
        #expect(!Self.records("dist", .distributor, registrant: "dist", registrantKind: .distributor))
        // A registrant no longer known still counts as a partner's when its holder is one.
        #expect(Self.records("manager", .channelManager, registrant: "gone", registrantKind: nil))
    }
}
