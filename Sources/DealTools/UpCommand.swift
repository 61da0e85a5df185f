import ArgumentParser
import DealBus
import DealCLI
import DealStore
import Dispatch
import Foundation

/// `dealreg up`: runs a local cluster as separate processes until SIGINT or SIGTERM.
struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract:
            "Start dealreg-registry, N dealreg-check and dealreg-enforce as child processes; stop them on Ctrl-C.",
        discussion:
            "With --workers MIN..MAX the pool starts with MIN check workers and adds one, up to MAX, while more than "
            + "--scale-up-queue checks wait for a worker at every sample (the registry's status, once a second) for "
            + "--scale-up-after seconds; once no check was queued or answered for --retire-idle-after seconds it retires "
            + "one per sample down to MIN. A retiring worker answers what it has read and hands the rest back before "
            + "it exits. Each change is logged with its reason; `dealreg status` shows the workers ready."
    )

    @OptionGroup var data: DataOptions
    @Option(help: ArgumentHelp("Check workers: N, or MIN..MAX for an elastic pool.", valueName: "n|min..max"))
    var workers = WorkerCount(minimum: 2, maximum: 2)
    @Option(help: "Elastic pool: checks waiting for a worker above which the pool is short of workers.")
    var scaleUpQueue = PoolScaler.Settings.defaults.queueThreshold
    @Option(help: "Elastic pool: seconds the queue stays above --scale-up-queue before a worker is added.")
    var scaleUpAfter = Int(PoolScaler.Settings.defaults.sustain.components.seconds)
    @Option(help: "Elastic pool: seconds with no check queued or answered before a worker above MIN retires.")
    var retireIdleAfter = Int(PoolScaler.Settings.defaults.idleAfter.components.seconds)
    @Option(help: "Address the services bind to.") var listen = "127.0.0.1"
    @Option(
        help:
            "First port: registry api, work, events, sync at +0..+3, enforcement api, events at +10, +11; 0 picks free ports."
    )
    var basePort = 7400
    @Flag(help: "Stop the cluster when the process that started dealreg up is gone.") var stopWithParent = false
    @Option(help: "Seconds to wait for every worker to replay the event log and announce itself.")
    var readyTimeout = 300
    @Option(help: "Program policy file for the registry (JSON; see `dealreg policy check`).") var policy: String?
    @Option(help: ArgumentHelp("A file of seconds added to the registry's clock (tests).", visibility: .hidden))
    var clockOffsetFile: String?
    @Option(
        help: ArgumentHelp(
            "The store of the registry and enforcement: sqlite:PATH (default: a file in each data directory) or "
                + "postgres://USER[:PASSWORD]@HOST[:PORT]/DB (each service in its own schema; the password also from "
                + "DEALREG_STORE_PASSWORD).", valueName: "url"))
    var store: String?
    @Option(help: "Registry processes on a PostgreSQL store: one serves, the others take over when it dies or freezes.")
    var registries = 1

    func validate() throws {
        guard scaleUpQueue >= 0, scaleUpAfter >= 1, retireIdleAfter >= 1 else {
            throw ValidationError(
                "--scale-up-queue must be 0 or more, --scale-up-after and --retire-idle-after 1 or more.")
        }
        guard registries >= 1 else { throw ValidationError("--registries must be at least 1.") }
        if registries > 1, !(store ?? "").hasPrefix("postgres") {
            throw ValidationError(
                "--registries \(registries) needs --store postgres://…: registries share one store only on PostgreSQL.")
        }
    }

    func run() throws {
        LaunchingParent.record()
        let binaries = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let location: StoreLocation?
        do {
            location = try store.map { text throws -> StoreLocation in
                switch try StoreLocation(parsing: text) {
                case .postgres(let postgres): .postgres(try postgres.fillingPassword(from: nil))
                case let other: other
                }
            }
        } catch {
            throw ValidationError("--store: \(error)")
        }
        let supervisor = ClusterSupervisor(
            data: data.directory, binaries: binaries, listen: listen, basePort: basePort,
            pool: PoolScaler.Settings(
                minimum: workers.minimum, maximum: workers.maximum, queueThreshold: scaleUpQueue,
                sustain: .seconds(scaleUpAfter), idleAfter: .seconds(retireIdleAfter)),
            stopWithParent: stopWithParent, readyTimeout: .seconds(readyTimeout),
            registryArguments: [("--policy", policy), ("--clock-offset-file", clockOffsetFile)].flatMap { flag, path in
                path.map { [flag, URL(fileURLWithPath: $0).standardizedFileURL.path] } ?? []
            }, store: location, registries: registries)
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { supervisor.requestStop() }
            source.resume()
            sources.append(source)
        }
        do {
            try supervisor.run()
        } catch {
            exitWithError(error)
        }
        print("dealreg stopped")
        _ = sources
    }
}
