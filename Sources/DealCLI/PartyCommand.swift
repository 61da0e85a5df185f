import ArgumentParser
import DealBus
import DealModel
import DealWire
import ZeroMQ

/// `dealreg party add`: registers a principal and keeps its key pair in the local keystore.
struct PartyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "party", abstract: "Manage the program's principals.", subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a principal: creates its CURVE key pair in the keystore and registers its public key.")

        @Argument(help: "Party id: a-z, 0-9, '.', '_', '-'.") var id: String
        @Option(help: "partner, distributor, seller, channel-manager, enforcement-officer, admin, service.")
        var kind: String
        @Option var name: String
        @Option var country = ""
        @Option var tier = ""
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The admin to act as.") var admin = "admin"
        @Option(help: "Registry api endpoint (default: the local cluster's).") var registry: String?

        func run() throws {
            guard let partyKind = PartyKind(rawValue: kind) else {
                exitWithError(
                    AddressError(
                        "'\(kind)' is not a party kind (\(PartyKind.allCases.map(\.rawValue).joined(separator: ", ")))."
                    ))
            }
            let partyID = PartyID(id)
            guard !data.keystore.contains(partyID) else {
                exitWithError(AddressError("The keystore already holds a key for '\(id)'."))
            }
            do {
                let keyPair = try CurveKeyPair.generate()
                var request = Dealreg_V1_AddPartyRequest()
                request.party =
                    Party(
                        id: partyID, kind: partyKind, name: name, country: country.uppercased(), tier: tier,
                        publicKey: keyPair.publicKey.z85
                    ).wire
                let client = try data.connect(as: admin, registry: registry, context: try Context())
                _ = try client.call(.addParty(request))
                try data.keystore.save(Identity(id: partyID, kind: partyKind, keyPair: keyPair))
                print("added \(partyKind.rawValue) \(id); key in \(data.keystore.path(for: partyID).path)")
            } catch {
                exitWithError(error)
            }
        }
    }
}
