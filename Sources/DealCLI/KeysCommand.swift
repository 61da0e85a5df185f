import ArgumentParser
import DealBus
import DealLedger
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// `dealreg keys list|create|rotate|revoke`: the CURVE keys of the program's principals.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List, create, rotate or revoke principals' CURVE keys (secrets stay in the keystore, mode 0600).",
        subcommands: [List.self, Create.self, Rotate.self, Revoke.self, Ledger.self])

    struct Line: Codable {
        var party: String
        var kind: String
        var public_key: String
        var state: String
        var secret_here: Bool
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every party's key as the registry holds it (yours only unless you are the vendor's), and "
                + "whether its secret is in this keystore.")
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The principal asking.") var principal = "admin"
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                let reply = try data.connect(as: principal, registry: nil, context: try Context()).listParties()
                let local = Dictionary(
                    data.keystore.identities().map { ($0.id.rawValue, $0.publicKey) }, uniquingKeysWith: { a, _ in a })
                for party in reply.parties {
                    let line = Line(
                        party: party.id, kind: PartyKind(wire: party.kind)?.rawValue ?? "?",
                        public_key: party.publicKey,
                        state: party.publicKey.isEmpty ? "revoked" : "active",
                        secret_here: !party.publicKey.isEmpty && local[party.id] == party.publicKey)
                    print(
                        json
                            ? jsonText(line)
                            : "\(line.party)  \(line.kind)  \(line.state)  "
                                + "\(line.public_key.isEmpty ? "-" : String(line.public_key.prefix(8)) + "…")"
                                + (line.secret_here ? "  secret in keystore" : ""))
                }
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key pair in this keystore without registering it, and print its public key: what a "
                + "partner does on its own machine before the vendor adds it with `party add --public-key`.")
        @Argument(help: "Party id.") var id: String
        @Option(help: "The party's kind.") var kind = "partner"
        @OptionGroup var data: DataOptions

        func run() throws {
            guard let partyKind = PartyKind(rawValue: kind) else { throw ValidationError("'\(kind)' is not a kind.") }
            let identity = Identity(id: PartyID(id), kind: partyKind, keyPair: try CurveKeyPair.generate())
            try data.keystore.save(identity)
            print(identity.publicKey)
        }
    }

    /// The options of a key change: the party, why, and the admin making it.
    struct ChangeOptions: ParsableArguments {
        @Argument(help: "Party id.") var id: String
        @Option(help: "Why (kept in the registry's log and event).") var reason: String
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The admin acting.") var admin = "admin"
        @Flag(help: "Print JSON.") var json = false

        func send(publicKey: String) throws -> Dealreg_V1_Party {
            let registry = try data.connect(as: admin, registry: nil, context: try Context())
            return try registry.setKey(
                .with {
                    $0.partyID = id
                    $0.publicKey = publicKey
                    $0.reason = reason
                }
            ).party
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Give a party a new key pair (admin): the old key stops working at once, on every socket; the new "
                + "secret replaces the old one in this keystore. A rotated service must be restarted to use it.")
        @OptionGroup var change: ChangeOptions

        func run() throws {
            try withServiceErrors(json: change.json) {
                let keyPair = try CurveKeyPair.generate()
                let party = try change.send(publicKey: keyPair.publicKey.z85)
                let kind = PartyKind(wire: party.kind) ?? .partner
                try change.data.keystore.save(
                    Identity(id: PartyID(party.id), kind: kind, keyPair: keyPair), replacing: true)
                let line = Line(
                    party: party.id, kind: kind.rawValue, public_key: party.publicKey, state: "active",
                    secret_here: true)
                print(change.json ? jsonText(line) : "rotated \(party.id): new key \(party.publicKey.prefix(8))…")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a party's key (admin): its connections are refused from the next message on, new ones "
                + "at the handshake; the local secret is moved aside (<id>.key.revoked).")
        @OptionGroup var change: ChangeOptions

        func run() throws {
            try withServiceErrors(json: change.json) {
                let party = try change.send(publicKey: "")
                if change.data.keystore.contains(PartyID(party.id)) {
                    try change.data.keystore.retire(PartyID(party.id))
                }
                let line = Line(
                    party: party.id, kind: PartyKind(wire: party.kind)?.rawValue ?? "?", public_key: "",
                    state: "revoked", secret_here: false)
                print(change.json ? jsonText(line) : "revoked \(party.id)")
            }
        }
    }

    /// `dealreg keys ledger SERVICE`: the Ed25519 key a service signs its ledger heads with, kept outside its
    /// database. Rotating keeps the old public key as retired, so heads signed before still verify; the service
    /// signs with the new key from its next start.
    struct Ledger: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show, rotate or recreate a service's ledger signing key (registry or enforcement).")
        @Argument(help: "registry or enforcement.") var service: String
        @OptionGroup var data: DataOptions
        @Option(help: "The key file (default: keys/SERVICE-ledger.key in the data directory).") var file: String?
        @Flag(help: "Make a new key, keeping the current public key as retired; restart the service to use it.")
        var rotate = false
        @Flag(help: "The key file is lost: make a new one (with --retire, the lost key's public key, in hex).")
        var new = false
        @Option(help: "With --new: a lost key's public key (64 hex digits), kept as retired.") var retire: [String] = []
        @Flag(help: "Print one JSON object.") var json = false

        struct Line: Codable {
            var service: String
            var file: String
            var key_id: String
            var public_key: String
            var retired: [String]
        }

        func run() throws {
            guard ["registry", "enforcement"].contains(service) else {
                throw ValidationError("The service is registry or enforcement.")
            }
            let path = URL(
                fileURLWithPath: file ?? data.directory.appendingPathComponent("keys/\(service)-ledger.key").path)
            var key: LedgerKey
            if new {
                guard !FileManager.default.fileExists(atPath: path.path) else {
                    throw ValidationError("\(path.path) exists: use --rotate to replace a key you still have.")
                }
                let retired = try retire.map { text -> [UInt8] in
                    guard let bytes = Hex.bytes(text, count: 32) else {
                        throw ValidationError("--retire takes a public key as 64 hex digits.")
                    }
                    return bytes
                }
                key = LedgerKey(service: service, retired: retired)
                try key.save(to: path)
            } else {
                key = try LedgerKey.load(path)
                if rotate {
                    key = key.rotated()
                    try key.save(to: path)
                }
            }
            let line = Line(
                service: service, file: path.path, key_id: LedgerKey.id(of: key.publicKey),
                public_key: Hex.text(key.publicKey), retired: key.retired.map { LedgerKey.id(of: $0) })
            if json {
                print(jsonText(line))
            } else {
                print(
                    "\(service) ledger key \(line.key_id) (\(line.public_key)) in \(line.file)"
                        + (line.retired.isEmpty ? "" : "; retired: \(line.retired.joined(separator: ", "))")
                        + (rotate || new ? "; restart the \(service) to sign with it" : ""))
            }
        }
    }
}
