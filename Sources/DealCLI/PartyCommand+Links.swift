import ArgumentParser
import DealBus
import DealModel
import DealWire
import ZeroMQ

/// `dealreg party link|accept|unlink|links`: the two-tier links that let a distributor file for its resellers.
extension PartyCommand {
    /// How a link command reaches the registry; `--as` defaults to the side that usually takes the step.
    struct LinkOptions: ParsableArguments {
        @OptionGroup var data: DataOptions
        @Option(
            name: .customLong("as"),
            help: "The principal to act as (its key is read from the keystore); the default depends on the step.")
        var principal: String?
        @Option(help: "Registry api endpoint (default: $DEALREG_REGISTRY, else the local cluster's).")
        var registry: String?
        @Option(help: "Registry public key, Z85 (default: $DEALREG_REGISTRY_KEY, else the local cluster's).")
        var registryKey: String?
        @Option(help: "Seconds to wait for an answer.") var timeout = 30
        @Flag(help: "Print JSON.") var json = false

        /// Takes one step as `--as`, else as `fallback`, and prints the link as it now stands.
        func step(as fallback: String, _ call: (RegistryClient, Duration) throws -> Dealreg_V1_PartyLink) throws {
            try withServiceErrors(json: json) {
                let client = try data.connect(
                    as: principal ?? fallback, registry: registry, registryKey: registryKey, context: try Context())
                let link = try call(client, .seconds(timeout))
                print(json ? jsonText(LinkLine(link)) : LinkLine(link).text)
            }
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose a two-tier link (as either side, by default the distributor); proposing what the "
                + "other side proposed accepts it.")

        @Argument(help: "The distributor.") var distributor: String
        @Argument(help: "The reseller (a partner).") var reseller: String
        @Option(help: "Why (kept in the link's event).") var reason = ""
        @OptionGroup var options: LinkOptions

        func run() throws {
            try options.step(as: distributor) { client, timeout in
                try client.linkParties(
                    .with {
                        $0.distributor = distributor
                        $0.reseller = reseller
                        $0.reason = reason
                    }, timeout: timeout
                ).link
            }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept the other side's proposal of a two-tier link (by default as the reseller).")

        @Argument(help: "The distributor.") var distributor: String
        @Argument(help: "The reseller (a partner).") var reseller: String
        @Option(help: "Why (kept in the link's event).") var reason = ""
        @OptionGroup var options: LinkOptions

        func run() throws {
            try options.step(as: reseller) { client, timeout in
                try client.acceptLink(
                    .with {
                        $0.distributor = distributor
                        $0.reseller = reseller
                        $0.reason = reason
                    }, timeout: timeout
                ).link
            }
        }
    }

    struct Unlink: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a two-tier link or withdraw its proposal (as either side, or by default as the admin, "
                + "who must give a reason); what was filed under it stays with the reseller.")

        @Argument(help: "The distributor.") var distributor: String
        @Argument(help: "The reseller (a partner).") var reseller: String
        @Option(help: "Why (required from a channel manager or admin).") var reason = ""
        @OptionGroup var options: LinkOptions

        func run() throws {
            try options.step(as: "admin") { client, timeout in
                try client.unlinkParties(
                    .with {
                        $0.distributor = distributor
                        $0.reseller = reseller
                        $0.reason = reason
                    }, timeout: timeout
                ).link
            }
        }
    }

    struct Links: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List two-tier links: a party's own, or every one (by default as the admin).")

        @Option(help: "Only the links of this party (the vendor's people; a party always sees only its own).")
        var party = ""
        @OptionGroup var options: LinkOptions

        func run() throws {
            try withServiceErrors(json: options.json) {
                let client = try options.data.connect(
                    as: options.principal ?? "admin", registry: options.registry, registryKey: options.registryKey,
                    context: try Context())
                for link in try client.listLinks(party: party, timeout: .seconds(options.timeout)).links {
                    print(options.json ? jsonText(LinkLine(link)) : LinkLine(link).text)
                }
            }
        }
    }
}

/// A two-tier link as the CLI prints it (`--json`: one object per line). A value.
struct LinkLine: Codable {
    var distributor: String
    var reseller: String
    var state: String
    var proposed_by: String
    var accepted_by: String?
    var ended_by: String?
    var reason: String?

    init(_ link: Dealreg_V1_PartyLink) {
        distributor = link.distributor
        reseller = link.reseller
        state = PartyLink.State(wire: link.state)?.rawValue ?? "?"
        proposed_by = link.proposedBy
        accepted_by = link.acceptedBy.isEmpty ? nil : link.acceptedBy
        ended_by = link.endedBy.isEmpty ? nil : link.endedBy
        reason = link.reason.isEmpty ? nil : link.reason
    }

    /// `dist → acme  active`, with who has to act next while proposed.
    var text: String {
        let next =
            switch PartyLink.State(rawValue: state) {
            case .proposedByDistributor?: "  (\(reseller) has to accept)"
            case .proposedByReseller?: "  (\(distributor) has to accept)"
            default: ""
            }
        return "\(distributor) → \(reseller)  \(state)\(next)"
    }
}
