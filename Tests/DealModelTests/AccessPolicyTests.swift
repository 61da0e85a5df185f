import DealModel
import Testing

/// The matrix written out, so any change to who may do what shows up here, cell by cell.
@Suite struct AccessPolicyTests {
    /// Columns: partner, distributor, seller, channel manager, enforcement officer, admin, integration service,
    /// check worker, enforcement service. `-` denied, `o` own records only, `a` all.
    static let expected: [(Action, String)] = [
        (.register, "ooo------"),
        (.showRegistration, "oooaaa---"),
        (.listRegistrations, "oooaaa---"),
        (.history, "oooaaa---"),
        (.review, "---a-a---"),
        (.close, "ooo--a---"),
        (.extend, "ooo--a---"),
        (.showPolicy, "aaaaaa---"),
        (.reloadPolicy, "-----a---"),
        (.addParty, "-----a---"),
        (.listParties, "oooaaa---"),
        (.setStanding, "-----a--a"),
        (.setKey, "-----a---"),
        (.feed, "oooaaaa--"),
        (.status, "oooaaaaaa"),
        (.resetMetrics, "-----a---"),
        (.stats, "----aaa--"),
        (.audit, "----aa---"),
        (.backup, "-----a---"),
        (.linkParties, "oo-------"),
        (.acceptLink, "oo-------"),
        (.unlinkParties, "oo-a-a---"),
        (.listLinks, "oo-aaa---"),
        (.showAccount, "---aaa---"),
        (.listAccounts, "---aaa---"),
        (.mergeAccounts, "---a-a---"),
        (.splitAccount, "---a-a---"),
        (.listAccess, "ooo-aa---"),
        (.checkWork, "-------a-"),
        (.subscribeEvents, "-----a-aa"),
        (.replayLog, "-----a-aa"),
        (.recordBooking, "----aaa--"),
        (.listViolations, "oooaaa---"),
        (.listCases, "oooaaa---"),
        (.showCase, "oooaaa---"),
        (.judgeCase, "----aa---"),
        (.appealCase, "ooo------"),
        (.listSanctions, "oooaaa---"),
        (.liftSanction, "----aa---"),
        (.listEscalations, "---aaa---"),
        (.subscribeCaseEvents, "----aaa--"),
        (.prove, "oooaaaa-a"),
        (.exchangeHeads, "--------a"),
        (.showHeads, "----aa---"),
    ]
    static let kinds: [PartyKind] = [
        .partner, .distributor, .seller, .channelManager, .enforcementOfficer, .admin, .service, .checkWorker,
        .enforcementService,
    ]

    @Test func everyCellIsAsWrittenHere() {
        #expect(Set(Self.expected.map(\.0)) == Set(Action.allCases))
        #expect(Set(Self.kinds) == Set(PartyKind.allCases))
        for (action, row) in Self.expected {
            let actual = Self.kinds.map { kind in
                switch AccessPolicy.access(kind, action) {
                case .denied: "-"
                case .own: "o"
                case .all: "a"
                }
            }.joined()
            #expect(actual == row, "\(action.rawValue)")
        }
    }

    @Test func partnersNeverReachAnotherPartysRecordsAndServicesNeverActForPeople() {
        for action in Action.allCases {
            #expect(AccessPolicy.access(.partner, action) != .all || action == .showPolicy || action == .status)
            #expect(
                AccessPolicy.access(.checkWorker, action) == .denied
                    || [.checkWork, .subscribeEvents, .replayLog, .status].contains(action))
        }
        #expect(AccessPolicy.refusal(.partner, .reloadPolicy) == "A partner may not reload the program policy.")
        #expect(
            AccessPolicy.refusal(.enforcementOfficer, .register) == "An enforcement officer may not register deals.")
    }
}
