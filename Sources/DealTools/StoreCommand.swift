import ArgumentParser

/// `dealreg store`: operations on the services' stores themselves, run beside a stopped cluster.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Move the registry's and enforcement's stores (with the services stopped).",
        subcommands: [StoreMigrateCommand.self])
}
