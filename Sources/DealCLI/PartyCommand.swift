import ArgumentParser
import DealBus
import DealModel
import DealWire
import ZeroMQ

/// `dealreg party add|standing`: registers a principal and keeps its key pair in the local keystore, sets its
/// standing; `link|accept|unlink|links` manage two-tier links (`PartyCommand+Links.swift`).
struct PartyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "party", abstract: "Manage the program's principals and their two-tier links.",
        subcommands: [Add.self, Standing.self, Link.self, Accept.self, Unlink.self, Links.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a principal: creates its CURVE key pair in the keystore and registers its public key.")

        @Argument(help: "Party id: a-z, 0-9, '.', '_', '-'.") var id: String
        @Option(help: ArgumentHelp(Self.kinds)) var kind: String
        static let kinds =
            "partner, distributor, seller, channel-manager, enforcement-officer, admin, service (an integration), "
            + "check-worker, enforcement-service."
        @Option var name: String
        @Option var country = ""
        @Option var tier = ""
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The admin to act as.") var admin = "admin"
        @Option(help: "Registry api endpoint (default: the local cluster's).") var registry: String?
        @Option(
            help:
                "The party's own public key (Z85), made on its machine with `dealreg keys create`; no secret is kept here."
        )
        var publicKey: String?

        func run() throws {
            guard let partyKind = PartyKind(rawValue: kind) else {
                exitWithError(
                    AddressError(
                        "'\(kind)' is not a party kind (\(PartyKind.allCases.map(\.rawValue).joined(separator: ", ")))."
                    ))
            }
            let partyID = PartyID(id)
            guard publicKey != nil || !data.keystore.contains(partyID) else {
                exitWithError(AddressError("The keystore already holds a key for '\(id)'."))
            }
            do {
                if let publicKey {
                    let client = try data.connect(as: admin, registry: registry, context: try Context())
                    _ = try client.addParty(
                        Party(
                            id: partyID, kind: partyKind, name: name, country: country.uppercased(), tier: tier,
                            publicKey: publicKey
                        ).wire)
                    print("added \(partyKind.rawValue) \(id) with its own key")
                    return
                }
                let keyPair = try CurveKeyPair.generate()
                let client = try data.connect(as: admin, registry: registry, context: try Context())
                _ = try client.addParty(
                    Party(
                        id: partyID, kind: partyKind, name: name, country: country.uppercased(), tier: tier,
                        publicKey: keyPair.publicKey.z85
                    ).wire)
                try data.keystore.save(Identity(id: partyID, kind: partyKind, keyPair: keyPair))
                print("added \(partyKind.rawValue) \(id); key in \(data.keystore.path(for: partyID).path)")
            } catch {
                exitWithError(error)
            }
        }
    }

    struct Standing: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend, expel or reinstate a party (admin); its registrations are refused while not active.")

        @Argument(help: "Party id.") var id: String
        @Option(help: "active, benefits-lost, suspended or expelled.") var standing: String
        @Option(help: "Why (kept in the registry's log and event).") var reason: String
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let wire = PartyStanding(rawValue: standing)?.wire else {
                throw ValidationError("--standing must be active, benefits-lost, suspended or expelled.")
            }
            try withServiceErrors(json: json) {
                let reply = try client.connect(context: try Context()).setStanding(
                    .with {
                        $0.partyID = id
                        $0.standing = wire
                        $0.reason = reason
                    }, timeout: .seconds(client.timeout))
                guard let party = Party(wire: reply.party) else { throw ClientError.badReply("expected a party") }
                print(
                    json
                        ? "{\"party\":\"\(party.id)\",\"standing\":\"\(party.standing.rawValue)\"}"
                        : "\(party.id) is \(party.standing.rawValue)")
            }
        }
    }
}
