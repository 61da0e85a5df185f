import ArgumentParser
import DealBus
import DealLedger
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// `dealreg audit`: the tamper-evident ledgers. `verify` has each service recompute its ledger and hold it to its
/// own signed heads, to the heads the other service witnessed, to enforcement's cursor and citations, and to heads
/// published earlier; `head` prints the heads to publish; `prove` checks a receipt a registrant kept.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify the tamper-evident ledgers, publish their heads, check receipts.",
        subcommands: [Verify.self, Head.self, Prove.self])

    /// The heads of both services as `audit head --json` prints them, for an outside witness to keep.
    struct Published: Codable {
        struct Service: Codable {
            var service: String
            var head: HeadJSON
            var ledger_keys: [String]
        }

        var taken_at: String
        var services: [Service]

        static func read(_ file: String) throws -> Published {
            do {
                return try JSONDecoder().decode(Published.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                throw AddressError("\(file) is not a file `dealreg audit head --json` wrote: \(error)")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Recompute both ledgers and hold each to its signed heads, the other's witness and published heads; "
                + "exit 1 naming the first entry that does not hold.")
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "An admin or enforcement officer.") var principal = "admin"
        @Option(help: "Registry api endpoint (default: the local cluster's).") var registry: String?
        @Option(
            name: .customLong("against"),
            help: "Heads published earlier (`dealreg audit head --json > FILE`): the stores must extend them.")
        var against: [String] = []
        @Flag(help: "Print JSON lines.") var json = false

        struct Line: Codable {
            var service: String
            var entries: UInt64
            var heads_checked: UInt64
            var intact: Bool
            var first_broken: String?
            var reason: String?
        }

        func run() throws {
            var broken = false
            try withServiceErrors(json: json) {
                let context = try Context()
                let registryClient = try data.connect(as: principal, registry: registry, context: context)
                let enforcementClient = try data.connectEnforcement(as: principal, context: context)
                let registryHeads = try registryClient.heads()
                let enforcementHeads = try enforcementClient.heads()
                var registryPlan = Dealreg_V1_AuditRequest()
                registryPlan.against = held(enforcementHeads.witnessed, source: "witnessed by enforcement")
                registryPlan.expectedSize = enforcementHeads.cursor
                registryPlan.cited = enforcementHeads.cited
                var enforcementPlan = Dealreg_V1_AuditRequest()
                enforcementPlan.against = held(registryHeads.witnessed, source: "witnessed by the registry")
                var lines: [Line] = []
                for file in against {
                    let published = try Published.read(file)
                    for entry in published.services {
                        guard let head = entry.head.head else {
                            throw AddressError("\(file): the \(entry.service) head is not hex of the right lengths.")
                        }
                        let current = entry.service == "registry" ? registryHeads : enforcementHeads
                        if let line = keysProblem(entry, now: current.ledgerKeys, file: file) {
                            lines.append(line)
                            continue
                        }
                        let heldHead = Dealreg_V1_HeldHead.with {
                            $0.head = head.wire
                            $0.source = "published in \(file)"
                        }
                        if entry.service == "registry" {
                            registryPlan.against.append(heldHead)
                            // Not on the registry's word alone: its proof that today's log extends the head.
                            if let line = try extends(head, file: file, registry: registryClient) { lines.append(line) }
                        } else {
                            enforcementPlan.against.append(heldHead)
                        }
                    }
                }
                for (client, plan) in [
                    (registryClient as any ServiceClient, registryPlan), (enforcementClient, enforcementPlan),
                ] {
                    let reply = try client.audit(plan, timeout: .seconds(3600))
                    lines.append(
                        Line(
                            service: reply.service, entries: reply.entries, heads_checked: reply.headsChecked,
                            intact: reply.intact, first_broken: reply.intact ? nil : reply.firstBroken,
                            reason: reply.intact ? nil : reply.reason))
                }
                for line in lines {
                    broken = broken || !line.intact
                    print(
                        json
                            ? jsonText(line)
                            : "\(line.service): \(line.entries) entries, \(line.heads_checked) signed heads, "
                                + (line.intact
                                    ? "intact" : "BROKEN at \(line.first_broken ?? "?"): \(line.reason ?? "")"))
                }
            }
            if broken { throw ExitCode(1) }
        }

        private func held(_ heads: [Dealreg_V1_SignedHead], source: String) -> [Dealreg_V1_HeldHead] {
            heads.map { head in
                .with {
                    $0.head = head
                    $0.source = source
                }
            }
        }

        /// Checked here, by the CLI: the registry's current head extends `published` (a consistency proof).
        private func extends(_ published: LedgerHead, file: String, registry: RegistryClient) throws -> Line? {
            let reply: Dealreg_V1_ProveReply
            switch Result(catching: { () throws(ClientError) in try registry.prove(fromSize: published.size) }) {
            case .success(let proved): reply = proved
            case .failure(.remote(let error)):
                return broken(published, file, "the registry cannot prove its log extends it: \(error.message)")
            case .failure(let error): throw error
            }
            guard let current = LedgerHead(wire: reply.head), current.isSignatureValid, current.size >= published.size
            else { return broken(published, file, "the registry answered with a head that is unsigned or smaller") }
            // Equal sizes need equal roots and an empty proof (`verifyConsistency`).
            let holds = MerkleTree.verifyConsistency(
                reply.consistency.map { Array($0) }, from: published.size, oldRoot: published.root,
                to: current.size, newRoot: current.root)
            return holds
                ? nil : broken(published, file, "the registry's current head does not extend it (consistency proof)")
        }

        private func broken(_ published: LedgerHead, _ file: String, _ reason: String) -> Line {
            Line(
                service: "registry", entries: 0, heads_checked: 1, intact: false,
                first_broken: "head at \(published.size)", reason: "published in \(file): \(reason)")
        }

        /// A published key the service no longer lists (current or retired): its key file was replaced.
        private func keysProblem(_ entry: Published.Service, now keys: [Data], file: String) -> Line? {
            let listed = Set(keys.map { Hex.text(Array($0)) })
            guard let missing = entry.ledger_keys.first(where: { !listed.contains($0) }) else { return nil }
            let id = Hex.bytes(missing, count: 32).map(LedgerKey.id(of:)) ?? missing
            return Line(
                service: entry.service, entries: 0, heads_checked: 0, intact: false,
                first_broken: "ledger key \(id)",
                reason:
                    "published in \(file) as a ledger key of the \(entry.service), which no longer lists it, "
                    + "current or retired: its key file was replaced")
        }
    }

    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print both services' current signed heads and ledger keys, to publish or send to an auditor.")
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "An admin or enforcement officer.") var principal = "admin"
        @Option(help: "Registry api endpoint (default: the local cluster's).") var registry: String?
        @Flag(help: "Print the JSON that `audit verify --against` reads.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                let context = try Context()
                let clients: [any ServiceClient] = [
                    try data.connect(as: principal, registry: registry, context: context),
                    try data.connectEnforcement(as: principal, context: context),
                ]
                var published = Published(taken_at: Date().ISO8601Format(), services: [])
                for client in clients {
                    let reply = try client.heads()
                    guard let head = LedgerHead(wire: reply.head) else {
                        throw AddressError("A service answered with an unreadable head.")
                    }
                    published.services.append(
                        .init(
                            service: head.service, head: HeadJSON(head),
                            ledger_keys: reply.ledgerKeys.map { Hex.text(Array($0)) }))
                }
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    print(String(decoding: try encoder.encode(published), as: UTF8.self))
                    return
                }
                for entry in published.services {
                    print(
                        "\(entry.service): \(entry.head.size) entries, root \(entry.head.root), signed "
                            + "\(entry.head.signed_at ?? "") with key \(entry.head.key_id ?? "")")
                }
            }
        }
    }

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check a receipt: the registry proves its event is still in the log, unchanged, under a head that "
                + "extends the receipt's; exit 1 when it cannot.")
        @Argument(help: "The receipt file (`register --receipt FILE`, or a `register --json` line).") var receipt:
            String
        @OptionGroup var client: ClientOptions
        @Option(help: "Published heads (`audit head --json`) whose registry ledger keys to trust.")
        var keys: String?
        @Flag(help: "Print one JSON object.") var json = false

        struct Line: Codable {
            var seq: UInt64
            var registration_id: String?
            var holds: Bool
            var receipt_head: UInt64
            var current_head: UInt64
            var signed_at: String?
            var reason: String?
        }

        func run() throws {
            let kept = try ReceiptJSON.read(receipt)
            var line = Line(
                seq: kept.seq, registration_id: kept.registration_id, holds: false, receipt_head: kept.head.size,
                current_head: 0)
            try withServiceErrors(json: json) {
                let registry = try client.connect(context: try Context())
                do {
                    let reply = try registry.prove(
                        seq: kept.seq, hash: Hex.bytes(kept.hash, count: 32) ?? [], fromSize: kept.head.size)
                    line.current_head = reply.head.size
                    line.signed_at = Date(timeIntervalSince1970: TimeInterval(reply.head.time)).ISO8601Format()
                    let trusted = try keys.map { file in
                        try Published.read(file).services.filter { $0.service == "registry" }.flatMap(\.ledger_keys)
                            .compactMap { Hex.bytes($0, count: 32) }
                    }
                    line.reason = ReceiptCheck.problem(kept, reply, trusted: trusted)
                } catch ClientError.remote(let error) {
                    line.reason = "the registry cannot prove it: \(error.message)"
                }
                line.holds = line.reason == nil
                if json {
                    print(jsonText(line))
                } else if line.holds {
                    print(
                        "receipt of event \(line.seq)\(kept.registration_id.map { " (\($0))" } ?? "") holds: it is in "
                            + "the registry's head at \(line.current_head) signed \(line.signed_at ?? ""), which extends "
                            + "the receipt's head at \(line.receipt_head)")
                } else {
                    print("receipt of event \(line.seq) FAILS: \(line.reason ?? "")")
                }
            }
            if !line.holds { throw ExitCode(1) }
        }
    }
}

/// The client's own check of a registry's proofs for a receipt: nothing the registry says is taken on trust.
enum ReceiptCheck {
    /// Why `reply` does not prove `receipt`, or nil when it does. `trusted`: the registry's ledger keys as
    /// published; nil: the receipt's key must be the key of the current head.
    static func problem(_ receipt: ReceiptJSON, _ reply: Dealreg_V1_ProveReply, trusted: [[UInt8]]?) -> String? {
        guard let kept = receipt.head.head, let hash = Hex.bytes(receipt.hash, count: 32) else {
            return "the receipt's hashes, key or signature are not hex of the right lengths"
        }
        guard kept.service == "registry", kept.isSignatureValid else {
            return "the receipt's head is not validly signed by the key it names"
        }
        guard receipt.seq >= 1, receipt.seq <= kept.size else {
            return "the receipt's head (\(kept.size) events) does not cover event \(receipt.seq)"
        }
        guard let current = LedgerHead(wire: reply.head), current.service == "registry", current.isSignatureValid else {
            return "the registry's current head is not validly signed"
        }
        let keys = trusted ?? [current.publicKey]
        guard keys.contains(kept.publicKey) else {
            return "the receipt's head is signed with key \(kept.keyID), "
                + (trusted == nil
                    ? "not the key the registry signs with now (give its published keys with --keys)"
                    : "which the keys file does not list as the registry's")
        }
        guard keys.contains(current.publicKey) else {
            return "the registry's current head is signed with key \(current.keyID), which the keys file does not list"
        }
        let leaf = MerkleTree.leafHash(seq: receipt.seq, chainHash: hash)
        guard
            MerkleTree.verifyInclusion(
                reply.inclusion.map { Array($0) }, leafHash: leaf, leaf: receipt.seq - 1, size: current.size,
                root: current.root)
        else { return "the inclusion proof does not lead to the current head's root: the entry is not in the log" }
        if kept.size == current.size {
            guard kept.root == current.root else {
                return
                    "the registry's head at \(current.size) has another root than the receipt's: the log was rewritten"
            }
        } else {
            guard
                current.size > kept.size,
                MerkleTree.verifyConsistency(
                    reply.consistency.map { Array($0) }, from: kept.size, oldRoot: kept.root, to: current.size,
                    newRoot: current.root)
            else {
                return "the registry's current head does not extend the receipt's: the log was rewritten or truncated"
            }
        }
        return nil
    }
}
