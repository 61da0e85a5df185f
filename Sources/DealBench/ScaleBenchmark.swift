import DealModel
import Foundation
import Histogram
import Matching

/// Builds the candidate index with many active registrations and measures one check's latency, on the calling
/// thread (one core); with accounts, compares that index with one of accounts. Not thread-safe: one caller.
public struct ScaleBenchmark {
    public var registrations: Int
    public var checks: Int
    public var policy = ProgramPolicy()
    /// Build with `insert(contentsOf:)` (`addSpellings(contentsOf:)`), normalising on every core, instead of one
    /// `insert` (`addSpelling`) at a time.
    public var parallelBuild = true
    /// Accounts the registrations belong to, for `runAccounts()`.
    public var accounts = 0

    public init(registrations: Int, checks: Int) {
        self.registrations = registrations
        self.checks = checks
    }

    /// The figures of one run.
    public struct Report: CustomStringConvertible, Sendable {
        public var registrations: Int
        public var buildSeconds: Double
        public var residentBytesBefore: Int
        public var residentBytesAfter: Int
        public var checks: Int
        public var p50: Double
        public var p99: Double
        public var p999: Double
        public var maximum: Double
        public var variantsFound: Int
        public var variants: Int
        public var parallelBuild: Bool

        public var description: String {
            let perRegistration = Double(residentBytesAfter - residentBytesBefore) / Double(max(1, registrations))
            return """
                registrations indexed   \(registrations)
                index build             \(String(format: "%.2f", buildSeconds)) s\(parallelBuild ? " (normalising on \(ProcessInfo.processInfo.activeProcessorCount) cores)" : " (one core)") (\(Int(Double(registrations) / buildSeconds)) registrations/s)
                resident memory         \(residentBytesAfter >> 20) MiB after, \(residentBytesBefore >> 20) MiB before: \(Int(perRegistration)) bytes per registration
                checks                  \(checks) on one thread (half respelled registered customers, half new ones)
                check latency           p50 \(String(format: "%.3f", p50)) ms, p99 \(String(format: "%.3f", p99)) ms, p99.9 \(String(format: "%.3f", p999)) ms, max \(String(format: "%.3f", maximum)) ms
                respelled found         \(variantsFound) of \(variants) at the review threshold or above
                """
        }
    }

    public func run() -> Report {
        var generator = SyntheticCustomers()
        var population: [Customer] = []
        population.reserveCapacity(registrations)
        for _ in 0..<registrations { population.append(generator.customer()) }
        let before = Self.residentBytes()
        let clock = ContinuousClock()
        let start = clock.now
        var index = CandidateIndex()
        if parallelBuild {
            index.insert(
                contentsOf: population.enumerated().map { (RegistrationID(number: Int64($0.offset + 1)), $0.element) })
        } else {
            for (position, customer) in population.enumerated() {
                index.insert(RegistrationID(number: Int64(position + 1)), customer: customer)
            }
        }
        let build = start.duration(to: clock.now)
        let after = Self.residentBytes()

        var latency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000)
        var found = 0
        var variants = 0
        for check in 0..<checks {
            let known = check % 2 == 0
            let target = Int(UInt64(check) &* 2_654_435_761 % UInt64(registrations))
            let customer = known ? generator.variant(of: population[target]) : generator.customer()
            let began = clock.now
            let candidates = index.candidates(for: customer, minimumScore: policy.reviewThreshold)
            let elapsed = began.duration(to: clock.now).components
            _ = latency.record(UInt64(elapsed.seconds) * 1_000_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000))
            if known {
                variants += 1
                if candidates.contains(where: { $0.id == RegistrationID(number: Int64(target + 1)) }) { found += 1 }
            }
        }
        func milliseconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1_000_000 }
        return Report(
            registrations: registrations,
            buildSeconds: Double(build.components.seconds) + Double(build.components.attoseconds) / 1e18,
            residentBytesBefore: before, residentBytesAfter: after, checks: checks,
            p50: milliseconds(latency.valueAtPercentile(50)), p99: milliseconds(latency.valueAtPercentile(99)),
            p999: milliseconds(latency.valueAtPercentile(99.9)), maximum: milliseconds(latency.maxRecorded),
            variantsFound: found, variants: variants, parallelBuild: parallelBuild)
    }

    /// glibc's `malloc_trim(0)`, found at run time: Swift's Glibc module does not export malloc.h.
    static func trimHeap() {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else { return }
        typealias Trim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// Resident set size of this process, from /proc/self/statm, after handing freed heap back to the system so
    /// that temporaries of the build do not count as the index's.
    static func residentBytes() -> Int {
        trimHeap()
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
