import DealBus
import DealModel
import DealStore
import DealTestSupport
import DealWire
import Foundation
import Testing
import ZeroMQ

/// The PostgreSQL server under a failover group restarted (a fast shutdown ends every session) or crashed and
/// started again, while a client registers: each registration is decided, refused with STORAGE_UNAVAILABLE (or
/// UNAVAILABLE while no registry serves) or left unanswered, and retried with its request id. Afterwards every
/// acknowledged registration is there, none is decided twice, the ledgers verify, and the cluster serves again with
/// no operator. Each test has a server of its own: the shared one serves the tests running beside it.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DatabaseRestartTests {
    enum Fault: String, CaseIterable, Sendable {
        /// `pg_ctl restart -m fast`.
        case restart
        /// `pg_ctl stop -m immediate`, a pause, then a start that recovers from the WAL.
        case crash
    }

    @Test(arguments: Fault.allCases)
    func aDatabaseThatGoesAwayUnderLoadLosesNothingAndDecidesNothingTwice(fault: Fault) throws {
        let server = try ThrowawayPostgres.startPrivate()
        defer { try? server.stop() }
        let cluster = try LocalCluster(workers: 1, engine: .postgres, registries: 2, server: server)
        defer { cluster.stop() }
        try cluster.addParty("acme", kind: "partner")
        let context = try Context()
        var burst = RegistrationBurst(
            try cluster.client(context: context, as: "acme"), prefix: fault.rawValue, count: 100)
        try burst.sendAll()
        try burst.receive(untilDecided: 10)
        switch fault {
        case .restart:
            try server.restart()
        case .crash:
            try server.halt()
            try burst.drain(for: .seconds(3))
            try server.resume()
        }
        burst.settle()

        #expect(burst.isDecided)
        #expect(
            Set(burst.refusals).isSubset(of: [.unavailable, .storageUnavailable]),
            "refusals other than the ones a client retries: \(burst.refusals)")
        burst.expectEachDecidedOnce()
        let decisions = burst.firstDecisions.values
        #expect(decisions.allSatisfy { $0.outcome == .approved })
        #expect(Set(decisions.map(\.registrationID)) == Set((1...100).map { RegistrationID(number: $0).rawValue }))
        // Every acknowledged registration is stored as it was answered.
        let admin = try cluster.client(context: context)
        for decision in decisions {
            let stored = try admin.getRegistration(decision.registrationID, timeout: .seconds(30)).registration
            #expect(stored.status == .approved, "\(decision.registrationID)")
        }
        let (audit, events, committed) = try cluster.auditAfterStatus()
        #expect(audit.holds && events >= committed, "\(audit)\nthe registry had committed \(committed) events")
        // It serves again by itself.
        let next = try cluster.register(
            as: "acme",
            [
                "--customer", "Distillerie du Lendemain SAS", "--country", "FR", "--city", "Cognac", "--postal-code",
                "16100", "--products", "storage", "--amount", "1000", "--currency", "EUR", "--close-date",
                LocalCluster.closeDate,
            ])
        #expect(next["outcome"] as? String == "APPROVED", "\(next)")
    }
}
