import ArgumentParser
import DealCLI
import DealTools

/// The `dealreg` command line: the client commands of `DealCLI` and the cluster, load and chaos tooling of
/// `DealTools`.
@main
struct DealregCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dealreg",
        abstract: "Deal registration for partner programs: run a cluster, register opportunities, inspect them.",
        subcommands: ToolCommands.cluster + ClientCommands.all + ToolCommands.exercises)
}
