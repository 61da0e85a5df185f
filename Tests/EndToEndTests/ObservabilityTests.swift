import DealModel
import Foundation
import Testing

/// `dealreg stats` reads each service's swift-metrics over the bus.
@Suite(.timeLimit(.minutes(3)))
struct ObservabilityTests {
    func stats(_ cluster: LocalCluster, as principal: String = "admin") throws -> (
        status: Int32, lines: [[String: Any]], error: String
    ) {
        let result = try cluster.dealreg(["stats", "--json", "--as", principal])
        let lines = result.output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return (result.status, lines, result.error)
    }

    func value(_ lines: [[String: Any]], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        lines.first { $0["name"] as? String == name && ($0["labels"] as? [String: String] ?? [:]) == labels }?["value"]
            as? Double
    }

    @Test func statsCountDecisionsTimeChecksAndShowTheEventLag() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        try cluster.addParty("bolt", kind: "partner")
        let deal = [
            "--products", "storage", "--amount", "1000", "--currency", "EUR", "--close-date", LocalCluster.closeDate,
        ]
        for (partner, name, city) in [
            ("acme", "Verrerie du Centre SA", "Bourges"), ("acme", "Cristallerie de Lorraine SA", "Nancy"),
            ("bolt", "VERRERIE DU CENTRE S.A.", "Bourges"),
        ] {
            _ = try cluster.register(
                as: partner, ["--customer", name, "--country", "FR", "--city", city, "--postal-code", "18000"] + deal)
        }
        var lines: [[String: Any]] = []
        for _ in 0..<100 {
            lines = try stats(cluster).lines
            if value(lines, "dealreg_event_lag") == 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(value(lines, "dealreg_registrations_total", ["outcome": "APPROVED"]) == 2, "\(lines)")
        #expect(value(lines, "dealreg_registrations_total", ["outcome": "REJECTED"]) == 1, "\(lines)")
        // Outcomes not seen yet are listed too, at 0: a monitor can tell "none" from "not reported".
        #expect(value(lines, "dealreg_registrations_total", ["outcome": "PENDING_REVIEW"]) == 0, "\(lines)")
        #expect(value(lines, "dealreg_registrations_total", ["outcome": "DUPLICATE"]) == 0, "\(lines)")
        #expect(value(lines, "dealreg_check_wait") == 3, "every check timed")
        #expect(value(lines, "dealreg_workers_ready") == 1)
        #expect(value(lines, "dealreg_checks_queued") == 0)
        #expect(value(lines, "dealreg_event_lag") == 0)
        #expect(value(lines, "dealreg_events_applied") == value(lines, "dealreg_events_last_seq"))
        let timer = try #require(lines.first { $0["name"] as? String == "dealreg_commit" })
        #expect(timer["kind"] as? String == "timer" && (timer["p99_ms"] as? Double ?? 0) > 0)

        // Volumes of every party are for the vendor's operators: a partner is refused by both services.
        let partner = try stats(cluster, as: "acme")
        #expect(partner.status == 1 && partner.lines.isEmpty)
        #expect(partner.error.components(separatedBy: "PERMISSION_DENIED").count == 3, "\(partner.error)")
    }

    @Test func everyViolationTypeIsCountedFromZeroBeforeTheFirstBooking() throws {
        let cluster = try LocalCluster(workers: 1)
        let lines = try stats(cluster).lines
        for type in ViolationType.allCases {
            #expect(value(lines, "dealreg_violations_total", ["type": type.rawValue]) == 0, "\(type): \(lines)")
        }
        #expect(value(lines, "dealreg_bookings_total") == 0)
    }
}
