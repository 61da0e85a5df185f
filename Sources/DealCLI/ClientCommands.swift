import ArgumentParser

/// The commands that talk to services over the bus, in the order `dealreg --help` lists them.
public enum ClientCommands {
    public static let all: [any ParsableCommand.Type] = [
        PartyCommand.self, RegisterCommand.self, ImportCommand.self, ShowCommand.self, ListCommand.self,
        AccountCommand.self, ReviewCommand.self, ExtendCommand.self, CloseCommand.self, WithdrawCommand.self,
        HistoryCommand.self, AccessCommand.self, PolicyCommand.self, BookingCommand.self, ViolationsCommand.self,
        CaseCommand.self,
        SanctionsCommand.self, EscalationsCommand.self, AuditCommand.self, StatusCommand.self, KeysCommand.self,
        FeedCommand.self, BackupCommand.self, StatsCommand.self,
    ]
}
