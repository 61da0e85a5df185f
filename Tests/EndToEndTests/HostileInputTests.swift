import DealBus
import DealModel
import DealWire
import Foundation
import SwiftProtobuf
import Testing
import ZeroMQ

/// Bad input gets a typed error and the service keeps serving; unknown keys get nothing at all.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct HostileInputTests {
    @Test func refusesAClientWhoseKeyIsUnknown() throws {
        let cluster = try LocalCluster(workers: 1)
        let context = try Context()
        let stranger = try cluster.client(context: context, keyPair: try CurveKeyPair.generate())
        #expect {
            _ = try stranger.status(timeout: .seconds(10))
        } throws: { error in
            guard case ClientError.refused = error else { return false }
            return true
        }
        // The CLI says the same in words, with a non-zero exit.
        let keys = cluster.data.appendingPathComponent("keys")
        try Keystore(directory: keys).save(
            Identity(id: PartyID("ghost"), kind: .partner, keyPair: try CurveKeyPair.generate()))
        let result = try cluster.dealreg(["list", "--as", "ghost", "--timeout", "10"])
        #expect(result.status != 0)
        #expect(result.error.contains("refused our key"))
    }

    @Test func answersMalformedUnknownAndInvalidRequestsAndKeepsServing() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        let context = try Context()
        let client = try cluster.client(context: context, as: "acme")

        try client.bus.sendRaw([Array("this is not protobuf \u{FF}\u{FF}".utf8)])
        let malformed = try client.bus.receive(timeout: .seconds(10))
        #expect(malformed.error.code == .malformed)

        // Field 99 is no body this server knows: a newer client, or garbage that happens to parse.
        var unknown = try WireEnvelope(serializedBytes: EnvelopeCodec.encode(requestID: "u-1", body: .status(.init())))
        unknown.body = nil
        var bytes: [UInt8] = try unknown.serializedBytes()
        bytes += [0x98, 0x06, 0x01]  // field 99, varint 1
        try client.bus.sendRaw([bytes])
        let unknownReply = try client.bus.receive(timeout: .seconds(10))
        #expect(unknownReply.requestID == "u-1")
        #expect(unknownReply.error.code == .unknownMethod)
        #expect(unknownReply.error.field == "body")

        var wrongVersion = WireEnvelope(requestID: "v-1", body: .status(.init()))
        wrongVersion.version = 7
        try client.bus.sendRaw([try wrongVersion.serializedBytes()])
        #expect(try client.bus.receive(timeout: .seconds(10)).error.code == .unsupportedVersion)

        var request = Dealreg_V1_RegisterDealRequest()
        request.customer = Customer(legalName: "Acme Bakery", country: "FR").wire
        request.productLines = ["storage"]
        request.amount = Money(minorUnits: 100, currency: "EURO").wire
        request.expectedClose = LocalCluster.closeDay.wire
        #expect {
            _ = try client.registerDeal(request)
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .invalidField && wire.field == "amount.currency" && !wire.message.isEmpty
        }
        request.amount.currency = "EUR"
        request.clearExpectedClose()
        #expect {
            _ = try client.registerDeal(request)
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .missingField && wire.field == "expected_close"
        }

        try client.bus.sendRaw([[UInt8](repeating: 0x41, count: 300 * 1024)])
        #expect(try client.bus.receive(timeout: .seconds(10)).error.code == .tooLarge)

        // A reply body sent as a request, and a partner asking for an admin's method.
        #expect {
            _ = try client.bus.call(.statusReply(.init()))
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .unknownMethod
        }
        let evil = Party(
            id: PartyID("evil"), kind: .admin, name: "Evil", publicKey: try CurveKeyPair.generate().publicKey.z85)
        #expect {
            _ = try client.addParty(evil.wire)
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .permissionDenied
        }

        // And it still serves everyone.
        request.expectedClose = LocalCluster.closeDay.wire
        #expect(try client.registerDeal(request).decision.outcome == .approved)

        // A real reply of another method is no answer to this one: a typed client says so rather than misread it.
        try client.bus.send(RegistryClient.Method.status, .init(), requestID: "s-1")
        let status = try client.bus.receive(timeout: .seconds(10))
        #expect(throws: Never.self) { try RegistryClient.Method.status.decode(status) }
        guard case .failure(.badReply(let reason)) = RegistryClient.Method.registerDeal.result(status) else {
            Issue.record("a status reply was read as a decision")
            return
        }
        #expect(reason == "expected a RegisterDeal reply, got statusReply")
    }

    @Test func enforcementAndTheRegistryRefuseUnknownFieldsOversizedAndMalformedFramesAndKeepServing() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        let context = try Context()
        let registry = try cluster.client(context: context, as: "acme")
        let enforcement = try cluster.enforcementClient(context: context)
        for bus in [registry.bus, enforcement.bus] {
            try bus.sendRaw([Array("\u{08}\u{FF}\u{FF}\u{FF}".utf8)])
            #expect(try bus.receive(timeout: .seconds(10)).error.code == .malformed)
            try bus.sendRaw([[UInt8](repeating: 0x41, count: 300 * 1024)])
            #expect(try bus.receive(timeout: .seconds(10)).error.code == .tooLarge)
            // A known body with a field the contract does not define (field 15 inside StatusRequest).
            var bytes = EnvelopeCodec.encode(requestID: "f-1", body: .status(.init()))
            let statusField = try #require(bytes.lastIndex(of: 0x92))  // field 18, length-delimited
            bytes.replaceSubrange(statusField..., with: [0x92, 0x01, 0x02, 0x78, 0x01])  // {field 15: 1}
            try bus.sendRaw([bytes])
            let unknown = try bus.receive(timeout: .seconds(10))
            #expect(unknown.requestID == "f-1")
            #expect(unknown.error.code == .invalidField && unknown.error.field == "body", "\(unknown)")
            // A request id with a NUL in it (found by the registry fuzz target): refused, not stored.
            try bus.sendRaw([EnvelopeCodec.encode(requestID: "harness-0\u{0}fuzz", body: .status(.init()))])
            let nul = try bus.receive(timeout: .seconds(10))
            #expect(nul.error.code == .invalidField && nul.error.field == "request_id", "\(nul)")
            // Still serving.
            _ = try bus.call(RegistryClient.Method.status, .init())
        }
        // A reason with control characters is refused with its field, wherever reasons are taken.
        let officer = try cluster.enforcementClient(context: context)
        #expect {
            _ = try officer.liftSanction(
                .with {
                    $0.sanctionID = "S-00000001"
                    $0.reason = "ok\u{1B}[2J"
                })
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .invalidField && wire.field == "reason"
        }
    }

    @Test func enforcementRefusesUnknownEnumValuesWithTheirFieldWhoeverAsks() throws {
        let cluster = try LocalCluster(workers: 1)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner"), ("officer", "enforcement-officer")] {
            try cluster.addParty(id, kind: kind)
        }
        let place = ["--country", "FR", "--city", "Lille", "--postal-code", "59000", "--products", "storage"]
        let held = try cluster.register(
            as: "acme",
            ["--customer", "Filature du Nord SAS", "--amount", "50000", "--currency", "EUR"]
                + ["--close-date", LocalCluster.closeDate] + place)
        #expect(held["outcome"] as? String == "APPROVED", "\(held)")
        let today = CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        let booking = try cluster.dealreg(
            ["booking", "add", "--as", "admin", "--json", "--order", "o-1", "--booked-by", "bolt", "--booked-on"]
                + [today.description, "--customer", "FILATURE DU NORD", "--amount", "12000", "--currency", "EUR"]
                + place)
        #expect(booking.output.contains("POACHING"), "\(booking)")
        let context = try Context()
        let admin = try cluster.enforcementClient(context: context)
        let caseID = try #require(try admin.listCases().cases.first?.id)

        // The accused partner and an officer both reach the handler, which names the field it cannot read.
        for principal in ["bolt", "officer"] {
            let client = try cluster.enforcementClient(context: context, keyPair: try cluster.keyPair(of: principal))
            // Sent as raw bodies: the point is what the service does with a value no client would send.
            let probes: [(WireEnvelope.OneOf_Body, String)] = [
                (
                    .caseRequest(
                        .with {
                            $0.caseID = caseID
                            $0.action = .UNRECOGNIZED(99)
                            $0.reason = "a step from a newer contract"
                        }), "action"
                ),
                (.listCases(.with { $0.state = .UNRECOGNIZED(99) }), "state"),
            ]
            for (body, field) in probes {
                let refusal = #expect(throws: ClientError.self, "\(principal), \(field)") { try client.bus.call(body) }
                guard case .remote(let wire)? = refusal else {
                    Issue.record("\(principal), \(field): \(String(describing: refusal))")
                    continue
                }
                #expect(wire.code == .invalidField && wire.field == field, "\(principal): \(wire)")
            }
        }
    }

    @Test func keepsAnAcknowledgedRegistrationThroughKillNine() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        try cluster.addParty("bolt", kind: "partner")
        let customer = ["--customer", "Kastell Versicherung AG", "--country", "DE", "--postal-code", "80331"]
        let deal = [
            "--products", "storage", "--amount", "70000", "--currency", "EUR", "--close-date", LocalCluster.closeDate,
        ]
        let first = try cluster.register(as: "acme", customer + deal)
        let id = try #require(first["registration_id"] as? String)
        #expect(first["outcome"] as? String == "APPROVED")

        let pid = try cluster.registryEndpoints.pid
        #expect(kill(pid, SIGKILL) == 0)
        // dealreg up restarts the registry on the same ports; wait for the new process to serve.
        let deadline = Date().addingTimeInterval(60)
        while (try? cluster.registryEndpoints.pid) == pid || (try? cluster.registryEndpoints) == nil {
            guard Date() < deadline else { throw ClusterFailure("registry not restarted:\n\(cluster.logs)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let shown = try cluster.dealreg(["show", id, "--as", "acme", "--json"])
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.output.contains("\"status\":\"approved\""))
        // The workers found the restarted registry, and the protection still holds.
        let poach = try cluster.register(as: "bolt", customer + deal)
        #expect(poach["outcome"] as? String == "REJECTED", "\(poach)\n\(cluster.logs)")
        #expect(poach["conflicting_registration_id"] as? String == id)
    }
}
