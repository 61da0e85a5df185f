import ArgumentParser
import DealBus
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// Runs a client command's body: a typed error from the service prints as a line (JSON or text) with exit status
/// 2; anything else is an error with exit status 1.
func withServiceErrors(json: Bool, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch ClientError.remote(let error) {
        print(json ? DecisionLine(ref: nil, error: error).json : DecisionLine(ref: nil, error: error).text)
        throw ExitCode(2)
    } catch let exit as ExitCode {
        throw exit
    } catch {
        exitWithError(error)
    }
}

/// Sends one transition and prints the registration as it now stands (or the typed error, exit status 2).
/// `account`, for a review's approval or rejection, names the account the registration's customer is.
private func runTransition(
    _ client: ClientOptions, id: String, _ transition: Dealreg_V1_Transition, reason: String,
    account: String? = nil, json: Bool
) throws {
    try withServiceErrors(json: json) {
        let registry = try client.connect(context: try Context())
        var request = Dealreg_V1_TransitionRequest()
        request.registrationID = id
        request.transition = transition
        request.reason = reason
        let reply = try registry.transition(
            request, account: account.map { AccountID($0) }, timeout: .seconds(client.timeout))
        guard let registration = Registration(wire: reply.registration) else {
            throw ClientError.badReply("expected a registration")
        }
        print(json ? RegistrationLine(registration).json : RegistrationLine(registration).text)
    }
}

/// `dealreg review list|approve|reject`: a channel manager's queue of uncertain matches.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "List, approve or reject registrations waiting for a channel manager.",
        subcommands: [List.self, Approve.self, Reject.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Registrations in review, oldest first.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            try ListCommand.printPages(client, json: json) { $0.status = .pendingReview }
        }
    }

    static let accountHelp = ArgumentHelp(
        "The account the registration's customer is, e.g. AC-00000001: its own account is merged into it "
            + "(default: it keeps its own).")

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a registration in review.")
        @Argument(help: "Registration id.") var id: String
        @Option(help: "Why (kept in the history).") var reason: String
        @Option(help: ReviewCommand.accountHelp) var account: String?
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try runTransition(client, id: id, .approve, reason: reason, account: account, json: json)
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a registration in review.")
        @Argument(help: "Registration id.") var id: String
        @Option(help: "Why (kept in the history).") var reason: String
        @Option(help: ReviewCommand.accountHelp) var account: String?
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try runTransition(client, id: id, .reject, reason: reason, account: account, json: json)
        }
    }
}

/// `dealreg extend ID --reason R`: the one extension of an approved registration, before it expires.
struct ExtendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Extend an approved registration's protection once, before it expires.")
    @Argument(help: "Registration id.") var id: String
    @Option(help: "Why (kept in the history).") var reason: String
    @OptionGroup var client: ClientOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws { try runTransition(client, id: id, .extend, reason: reason, json: json) }
}

/// `dealreg close ID --won|--lost`.
struct CloseCommand: ParsableCommand {
    enum Result: String, EnumerableFlag {
        case won, lost
    }

    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close an approved registration as won (the customer becomes partner-managed) or lost.")
    @Argument(help: "Registration id.") var id: String
    @Flag(help: "How it ended.") var result: Result
    @Option(help: "A note for the history.") var reason = ""
    @OptionGroup var client: ClientOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runTransition(client, id: id, result == .won ? .won : .lost, reason: reason, json: json)
    }
}

/// `dealreg withdraw ID`.
struct WithdrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Withdraw an approved or in-review registration, releasing the customer.")
    @Argument(help: "Registration id.") var id: String
    @Option(help: "A note for the history.") var reason = ""
    @OptionGroup var client: ClientOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws { try runTransition(client, id: id, .withdraw, reason: reason, json: json) }
}

/// `dealreg history ID`: every decision and transition of a registration.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show a registration's decision and every transition since.")
    @Argument(help: "Registration id.") var id: String
    @OptionGroup var client: ClientOptions
    @Flag(help: "Print JSON lines.") var json = false

    struct Line: Codable {
        var time: String
        var actor: String
        var action: String
        var status: String
        var reason: String
        var policy_version: String
    }

    func run() throws {
        try withServiceErrors(json: json) {
            let reply = try client.connect(context: try Context()).history(id, timeout: .seconds(client.timeout))
            for entry in reply.entries {
                let line = Line(
                    time: Date(timeIntervalSince1970: TimeInterval(entry.time)).ISO8601Format(), actor: entry.actor,
                    action: entry.action,
                    status: RegistrationStatus(wire: entry.status)?.rawValue ?? "?", reason: entry.reason,
                    policy_version: entry.policyVersion)
                print(
                    json
                        ? jsonText(line)
                        : "\(line.time)  \(line.action)  by \(line.actor)  → \(line.status)"
                            + (line.reason.isEmpty ? "" : "  (\(line.reason))") + "  policy \(line.policy_version)")
            }
        }
    }
}

/// `dealreg policy show|check|reload`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show the running program policy, check a policy file, or reload it.",
        subcommands: [Show.self, Check.self, Reload.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the registry's running policy.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print only the JSON policy (the file format).") var json = false

        func run() throws { try PolicyCommand.ask(client, reload: false, json: json) }
    }

    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the registry re-read its policy file (admin); a refused file leaves the running one.")
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print only the JSON policy.") var json = false

        func run() throws { try PolicyCommand.ask(client, reload: true, json: json) }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file offline and print it as the registry would run it.")
        @Argument(help: "Policy file (JSON).") var file: String
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            do {
                let policy = try PolicyFile.load(URL(fileURLWithPath: file))
                print(
                    json
                        ? PolicyFile.json(policy)
                        : "ok: \(file) is policy \(policy.version)\n" + PolicyFile.json(policy))
            } catch {
                let line = DecisionLine(ref: nil, error: WireError(.invalidPolicy, error.reason, field: error.key))
                print(json ? line.json : "refused: \(error)")
                throw ExitCode(2)
            }
        }
    }

    static func ask(_ client: ClientOptions, reload: Bool, json: Bool) throws {
        try withServiceErrors(json: json) {
            let reply = try client.connect(context: try Context()).policy(
                reload: reload, timeout: .seconds(client.timeout))
            print(json ? reply.json : "policy \(reply.version)\n\(reply.json)")
        }
    }
}
