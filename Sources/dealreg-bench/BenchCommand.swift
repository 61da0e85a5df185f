import ArgumentParser
import DealBench
import DealModel
import Foundation
import Registry

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dealreg-bench", abstract: "Benchmarks of the matcher (accuracy, scale) and of the signed ledger.",
        subcommands: [Accuracy.self, Calibrate.self, Explain.self, Scale.self, Seed.self, LedgerCommand.self])

    struct Accuracy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the matcher over labelled customers in registration order and print its accuracy.")

        @Argument(
            help: """
                CSV files of labelled customers (rec_id, company_name, ..., cluster_id), or folders of them (each \
                .csv inside, in name order).
                """) var files: [String]
        @Option(help: "Conflict threshold (default: the policy's).") var conflict: Double?
        @Option(help: "Review threshold (default: the policy's).") var review: Double?
        @Option(help: "How many misses and false conflicts to list.") var worst = 10

        func run() throws {
            var policy = ProgramPolicy()
            if let conflict { policy.conflictThreshold = conflict }
            if let review { policy.reviewThreshold = review }
            var summary = AccuracySummary()
            for file in try LabelledCustomers.files(files.map { URL(fileURLWithPath: $0) }) {
                let records = try LabelledCustomers.read(file)
                let clock = ContinuousClock()
                let start = clock.now
                let cases = AccuracyBenchmark(policy: policy).run(records)
                let elapsed = start.duration(to: clock.now)
                print(
                    "== \(file.relativePath) (conflict ≥ \(policy.conflictThreshold), review ≥ \(policy.reviewThreshold), "
                        + "\(elapsed))"
                )
                let report = AccuracyReport(cases, worst: worst)
                print(report)
                summary.append(table: file.relativePath, report: report, bar: .of(file))
            }
            print(
                "== summary (repeats: registrations of an already registered customer; bars: development set "
                    + "recall ≥ 0.995, precision ≥ 0.999, review ≤ 5 %; European spellings recall 1, no false "
                    + "conflict; category recall ≥ 0.99, no false conflict)")
            print(summary)
        }
    }

    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit the matcher's evidence weights on labelled customers and print them as Swift source.")

        @Argument(help: "CSV files of labelled customers.") var files: [String]
        @Option(help: "L2 regularisation.") var l2 = 0.5

        func run() throws {
            var patterns: [Calibration.Pattern] = []
            for file in files {
                patterns += Calibration.patterns(try LabelledCustomers.read(URL(fileURLWithPath: file)))
            }
            let same = patterns.reduce(0) { $0 + $1.same }
            let different = patterns.reduce(0) { $0 + $1.different }
            print(
                "// \(patterns.count) evidence patterns over \(same) same-customer and \(different) other candidate pairs"
            )
            print(Calibration.swiftSource(Calibration.fit(patterns, l2: l2)))
        }
    }

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write synthetic approved registrations into a stopped registry's data directory.",
            discussion: """
                For the cluster benchmarks at a large index: `dealreg up` on the same data directory then serves \
                them, and its workers replay them from the event log.
                """)

        @Option(help: "The registry's data directory (as for `dealreg up --data`, plus /registry).") var data: String
        @Option(help: "How many registrations to add.") var registrations = 1_000_000
        @Option(help: "The partner that holds them.") var holder = "seed-partner"
        @Option(help: "Seed of the synthetic customers (the load generator uses the clock).") var seed: UInt64 = 7

        func run() throws {
            var generator = SyntheticCustomers(seed: seed)
            let customers = (0..<registrations).map { _ in generator.customer() }
            let clock = ContinuousClock()
            let start = clock.now
            let last = try RegistrySeeding.seed(
                dataDirectory: URL(fileURLWithPath: data), holder: PartyID(holder), customers: customers)
            print("seeded \(registrations) registrations (last event \(last)) in \(start.duration(to: clock.now))")
        }
    }

    struct Scale: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Index many generated registrations, then time single checks on one thread.")

        @Option(help: "Registrations to index.") var registrations = 1_000_000
        @Option(help: "Checks to time.") var checks = 100_000
        @Flag(help: "Build one insert at a time on one core.") var serialBuild = false
        @Option(
            help: """
                Spread the registrations over this many accounts and compare the index of registrations with the \
                index of accounts (0: the index of registrations alone).
                """) var accounts = 0

        func run() throws {
            var benchmark = ScaleBenchmark(registrations: registrations, checks: checks)
            benchmark.parallelBuild = !serialBuild
            benchmark.accounts = accounts
            if accounts > 0 { print(benchmark.runAccounts()) } else { print(benchmark.run()) }
        }
    }
}
