import ArgumentParser
import DealBus
import DealModel
import DealWire
import ZeroMQ

/// `dealreg account show|list|merge|split`: the customers behind the registrations, for the vendor's people
/// (merges and splits: channel managers and admins).
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Show, list, merge or split accounts: one customer each, whatever its registrants called it.",
        subcommands: [Show.self, List.self, Merge.self, Split.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an account: its spellings, who manages it, its active protections, its registrations "
                + "(the newest 500) and its doubts.")

        @Argument(help: "Account id, e.g. AC-00000001.") var id: String
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                let reply = try client.connect(context: try Context()).showAccount(
                    AccountID(id), timeout: .seconds(client.timeout))
                let line = try AccountLine(reply)
                print(json ? jsonText(line) : line.text)
            }
        }
    }

    /// Every account that matches, page by page, as `dealreg list` goes through registrations.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List accounts in id order, optionally those of a customer or those with doubts to decide.",
            discussion: """
                Prints every account that matches, however many pages the registry answers in. With --limit N it \
                stops after N; when more match, it says so on standard error with the --after ID that goes on \
                from the last one shown, and with --json it ends with {"after":"ID","more":true,"shown":N}.
                """)

        @OptionGroup var client: ClientOptions
        @Option(help: "Only accounts with a spelling whose legal name contains this (any case).") var customer = ""
        @Flag(help: "Only accounts with a doubt to decide: a possible duplicate found when accounts were formed.")
        var doubtful = false
        @Option(help: "At most this many (default: all).") var limit: Int?
        @Option(help: "Only those whose id sorts after this one: where a --limit stopped.") var after = ""
        @Option(help: ArgumentHelp("Accounts asked for per request, 1 to 1000 (tests).", visibility: .hidden))
        var pageSize = 1000
        @Flag(help: "Print JSON lines.") var json = false

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
            guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be 1 to 1000.") }
        }

        func run() throws {
            try withServiceErrors(json: json) {
                let registry = try client.connect(context: try Context())
                var after = after
                var shown = 0
                while true {
                    // One more than the limit leaves, so that a listing stopped by it knows whether anything is left.
                    let reply = try registry.listAccounts(
                        after: after.isEmpty ? nil : AccountID(after),
                        limit: UInt32(min(pageSize, limit.map { $0 - shown + 1 } ?? pageSize)), customer: customer,
                        doubtfulOnly: doubtful, timeout: .seconds(client.timeout))
                    for summary in reply.accounts {
                        if shown == limit {
                            ListCommand.Remainder(shown: shown, after: after).report(
                                json: json, command: "account list")
                            return
                        }
                        if let line = AccountLine(summary) {
                            print(json ? jsonText(line) : line.summary)
                            shown += 1
                        }
                        after = summary.account.id
                    }
                    guard !reply.nextAfterID.isEmpty else { return }
                    after = reply.nextAfterID
                }
            }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge an account into another, with all its registrations (channel managers, admins); "
                + "refused when both hold active protections on overlapping product lines.")

        @Argument(help: "The account that stays, e.g. AC-00000001.") var into: String
        @Argument(help: "The account that goes into it.") var merged: String
        @Option(help: "Why (kept with both accounts).") var reason: String
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                let reply = try client.connect(context: try Context()).mergeAccounts(
                    AccountID(into), merging: AccountID(merged), reason: reason, timeout: .seconds(client.timeout))
                let line = try AccountLine(reply.account)
                print(json ? jsonText(line) : line.text)
            }
        }
    }

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move registrations out of an account into a new one (channel managers, admins); prints the "
                + "new account, then what remains of the old one.")

        @Argument(help: "The account, e.g. AC-00000001.") var id: String
        @Argument(help: "The registrations that leave it, e.g. DR-00000001.") var registrations: [String]
        @Option(help: "Why (kept with both accounts).") var reason: String
        @OptionGroup var client: ClientOptions
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                let reply = try client.connect(context: try Context()).splitAccount(
                    AccountID(id), registrations: registrations.map { RegistrationID($0) }, reason: reason,
                    timeout: .seconds(client.timeout))
                for account in [reply.account, reply.remaining] {
                    let line = try AccountLine(account)
                    print(json ? jsonText(line) : line.text)
                }
            }
        }
    }
}
