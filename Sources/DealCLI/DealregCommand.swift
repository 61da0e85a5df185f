import ArgumentParser

/// The `dealreg` command line: local cluster supervisor and client of the registry.
public struct DealregCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dealreg",
        abstract: "Deal registration for partner programs: run a cluster, register opportunities, inspect them.",
        subcommands: [
            UpCommand.self, PartyCommand.self, RegisterCommand.self, ImportCommand.self, ShowCommand.self,
            ListCommand.self, ReviewCommand.self, ExtendCommand.self, CloseCommand.self, WithdrawCommand.self,
            HistoryCommand.self, PolicyCommand.self, BookingCommand.self, ViolationsCommand.self,
            CaseCommand.self, SanctionsCommand.self, EscalationsCommand.self, AuditCommand.self, DemoCommand.self,
            LoadCommand.self, StatusCommand.self, KeysCommand.self, FeedCommand.self, ChaosCommand.self,
            BackupCommand.self, StatsCommand.self,
        ])

    public init() {}
}
