import DealBus
import DealModel
import DealWire
import Foundation
import Testing
import ZeroMQ

/// The C client (`clients/c`, protobuf-c and libzmq) against the real services: built by its own script, run as a
/// process against a `dealreg up` cluster, its answers held to what the Swift side receives.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct CClientTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The client built once per test process by `scripts/build-c-client.sh`, into a folder of the tests' own, so
    /// they never depend on a manual step nor on another build's output.
    static let built: Result<URL, any Error> = Result {
        let folder = packageRoot.appendingPathComponent(".build/c-client-tests")
        let log = folder.appendingPathComponent("build.log")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/bin/bash")
        build.arguments = [packageRoot.appendingPathComponent("scripts/build-c-client.sh").path, folder.path]
        build.standardOutput = try FileHandle(forWritingTo: log)
        build.standardError = try FileHandle(forWritingTo: log)
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0 else {
            throw ClusterFailure("scripts/build-c-client.sh failed:\n" + (try String(contentsOf: log, encoding: .utf8)))
        }
        return folder.appendingPathComponent("dealreg-c-client")
    }

    static let customer = [
        "--customer", "Société Générale d'Équipement SA", "--country", "FR", "--postal-code", "75008",
    ]
    static let respelled = [
        "--customer", "SOCIETE GENERALE D EQUIPEMENT S.A.", "--country", "fr", "--postal-code", "75 008",
    ]
    static let deal = ["--amount", "125000.00", "--currency", "EUR", "--close-date", LocalCluster.closeDate]

    /// A run of the C client as a process, its output kept in files (no pipe to fill while it runs).
    struct Run {
        let process = Process()
        let output: URL
        let error: URL

        /// Starts `dealreg-c-client ARGS --data DIR` against `cluster`.
        init(_ arguments: [String], in cluster: LocalCluster) throws {
            let name = UUID().uuidString
            output = cluster.data.appendingPathComponent("c-client-\(name).out")
            error = cluster.data.appendingPathComponent("c-client-\(name).err")
            for file in [output, error] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
            process.executableURL = try CClientTests.built.get()
            process.arguments = arguments + ["--data", cluster.data.path]
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: error)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        /// Waits for the process; its exit status, standard output and standard error.
        func finish() throws -> (status: Int32, output: String, error: String) {
            process.waitUntilExit()
            return (
                process.terminationStatus, try String(contentsOf: output, encoding: .utf8),
                try String(contentsOf: error, encoding: .utf8)
            )
        }
    }

    func cClient(_ arguments: [String], in cluster: LocalCluster) throws -> (
        status: Int32, output: String, error: String
    ) {
        try Run(arguments, in: cluster).finish()
    }

    /// `dealreg-c-client register --as PRINCIPAL ARGS`, which the registry must answer (status 0); its output.
    func register(as principal: String, _ arguments: [String], in cluster: LocalCluster) throws -> String {
        let result = try cClient(["register", "--as", principal] + arguments, in: cluster)
        #expect(result.status == 0, "register \(arguments): \(result.output) \(result.error)")
        return result.output
    }

    /// A one-worker cluster with `parties` (id and kind) added.
    func cluster(with parties: [(id: String, kind: String)]) throws -> LocalCluster {
        let cluster = try LocalCluster(workers: 1)
        for party in parties { try cluster.addParty(party.id, kind: party.kind) }
        return cluster
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func registersAndPrintsDecisionsAsTheCommandLineDoes() throws {
        let cluster = try cluster(with: [("acme", "partner"), ("bolt", "partner")])
        let first = try register(
            as: "acme", ["--products", "storage,servers"] + Self.customer + Self.deal, in: cluster)
        let headline = try #require(first.split(separator: "\n").first.map(String.init))
        #expect(headline.contains(" APPROVED protected until "))
        let held = try #require(headline.split(separator: " ").first.map(String.init))
        #expect(held.hasPrefix("DR-"))

        let poach = try register(
            as: "bolt", ["--products", "storage", "--request-id", "poach-1"] + Self.respelled + Self.deal,
            in: cluster)
        #expect(poach.contains(" REJECTED conflicts with \(held)\n"))
        // The match names the holder's kind and the account both registrations are now part of.
        #expect(poach.contains("  match \(held) (partner, AC-00000001) score "))

        // The Swift command line, retrying the same request, gets the stored answer and prints the same text.
        let retried = try cluster.dealreg(
            ["register", "--as", "bolt", "--products", "storage", "--request-id", "poach-1"] + Self.respelled
                + Self.deal)
        #expect(retried.status == 0, "\(retried.error)")
        #expect(retried.output == poach)
    }

    /// What the Swift client receives for `request` sent as `principal` under `requestID`: the reply frame as it
    /// came off the socket, and the decision it carries, serialized.
    func swiftDecision(
        _ request: Dealreg_V1_RegisterDealRequest, as principal: String, requestID: String, cluster: LocalCluster
    ) throws -> (frame: [UInt8], decision: [UInt8]) {
        let context = try Context()
        let bus = try cluster.client(context: context, as: principal).bus
        try bus.send(RegistryClient.Method.registerDeal, request, requestID: requestID)
        let readable = try Poller.readable([bus.socket], timeoutMilliseconds: 30_000)
        #expect(readable == [true], "no reply within 30 s")
        let frame = try #require(try bus.socket.receive(dontWait: true)).payload
        let envelope = try WireEnvelope(serializedBytes: frame)
        #expect(envelope.requestID == requestID)
        let reply = try RegistryClient.Method.registerDeal.decode(envelope)
        return (frame, try reply.decision.serializedBytes())
    }

    @Test func decisionIsByteIdenticalToTheOneTheSwiftClientReceives() throws {
        let cluster = try cluster(with: [("acme", "partner"), ("bolt", "partner")])
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer =
            Customer(legalName: "Société Générale d'Équipement SA", postalCode: "75008", country: "FR")
            .wire
        request.productLines = ["storage", "servers"]
        request.amount = try #require(Money(decimal: "125000.00", currency: "EUR")).wire
        request.expectedClose = LocalCluster.closeDay.wire
        let arguments = ["--products", "storage,servers"] + Self.customer + Self.deal + ["--raw"]

        // The C client decides first; the Swift client's retry of the same request gets the stored answer.
        let cBytes = try register(as: "acme", ["--request-id", "c-first"] + arguments, in: cluster)
            .trimmingCharacters(in: .newlines)
        let swift = try swiftDecision(request, as: "acme", requestID: "c-first", cluster: cluster)
        #expect(cBytes == Self.hex(swift.decision))
        // And the C client printed the bytes as they came on the wire, not a re-encoding of its own.
        #expect(Self.hex(swift.frame).contains(cBytes))
        #expect(try Dealreg_V1_Decision(serializedBytes: swift.decision).outcome == .approved)

        // The other way round: the Swift client decides, the C client's retry receives the same bytes.
        let rejected = try swiftDecision(request, as: "bolt", requestID: "swift-first", cluster: cluster)
        #expect(try Dealreg_V1_Decision(serializedBytes: rejected.decision).outcome == .rejected)
        let retried = try register(as: "bolt", ["--request-id", "swift-first"] + arguments, in: cluster)
        #expect(retried == Self.hex(rejected.decision) + "\n")
    }

    @Test func typedErrorsAndBadInputExitTwoWithOneLine() throws {
        let cluster = try cluster(with: [("acme", "partner")])
        let garbage = cluster.data.appendingPathComponent("garbage.key")
        try "{\"id\": \"acme\", \"secret_key\": 12}".write(to: garbage, atomically: true, encoding: .utf8)
        let deal = ["--products", "storage"] + Self.deal
        let cases: [(arguments: [String], printed: String)] = [
            // Refused by the registry, with its typed error.
            (["--customer", "", "--country", "FR"] + deal, "error MISSING_FIELD [customer.legal_name]: "),
            (["--customer", "Acme SA", "--country", "ZZ"] + deal, "error INVALID_FIELD [customer.country]: "),
            // Refused before sending, as `dealreg register` does.
            (
                Self.customer + [
                    "--products", "storage", "--amount", "12.345", "--currency", "EUR", "--close-date",
                    LocalCluster.closeDate,
                ], "error INVALID_FIELD [amount]: '12.345' is not a positive decimal amount in EUR."
            ),
            (Self.customer + ["--products", "storage", "--amount", "1", "--currency", "EUR"], "missing --close-date"),
            (Self.customer + deal + ["--key", "/nonexistent/acme.key"], "cannot be used"),
            (Self.customer + deal + ["--key", garbage.path], "is not a dealreg key file"),
            (Self.customer + deal + ["--timeout", "soon"], "--timeout 'soon' is not a number of seconds."),
        ]
        for (arguments, printed) in cases {
            let result = try cClient(["register", "--as", "acme"] + arguments, in: cluster)
            #expect(result.status == 2, "\(arguments): \(result.output) \(result.error)")
            let lines = (result.output + result.error).split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.contains(printed) == true, "\(arguments): \(lines)")
        }
    }

    @Test func subscribeFollowsTheLogForAdminsAndRefusesPartnersAndServices() throws {
        let cluster = try cluster(with: [("acme", "partner"), ("erp", "service")])
        _ = try register(as: "acme", ["--products", "storage"] + Self.customer + Self.deal, in: cluster)

        // A replay of the log from its start, then live: the registration event of the first deal.
        let replayed = try cClient(
            [
                "subscribe", "--as", "admin", "--after", "0", "--topic", "registration", "--count", "1", "--timeout",
                "60",
            ],
            in: cluster)
        #expect(replayed.status == 0, "\(replayed.error)")
        #expect(replayed.output.hasSuffix("  registration  DR-00000001  registered  approved\n"))

        // From the current head on: only what comes after, here the second deal, whether replayed or live.
        let context = try Context()
        let status = try cluster.client(context: context).status()
        let following = try Run(
            ["subscribe", "--as", "admin", "--after", String(status.lastSeq), "--count", "1", "--timeout", "60"],
            in: cluster)
        let nordwind = ["--customer", "Nordwind Logistik GmbH", "--country", "DE", "--products", "printers"]
        _ = try register(as: "acme", nordwind + Self.deal, in: cluster)
        let live = try following.finish()
        #expect(live.status == 0, "\(live.error)")
        #expect(live.output == "\(status.lastSeq + 1)  registration  DR-00000002  registered  approved\n")

        // The raw streams carry every partner's registrations: the registry refuses other kinds at the handshake.
        for principal in ["acme", "erp"] {
            let refused = try cClient(["subscribe", "--as", principal, "--count", "1", "--timeout", "60"], in: cluster)
            #expect(refused.status == 1, "\(principal): \(refused.output)")
            #expect(refused.output.isEmpty)
            #expect(refused.error.contains("refused our key"), "\(principal): \(refused.error)")
        }
    }
}
