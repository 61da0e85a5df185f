import DealModel
import Foundation
import Histogram
import Matching

extension ScaleBenchmark {
    /// The figures of one index in `runAccounts()`. A value; `Sendable`.
    public struct IndexFigures: Sendable {
        public var entries: Int
        public var spellings: Int
        public var slots: Int
        public var buildSeconds: Double
        public var residentBytesBefore: Int
        public var residentBytesAfter: Int
        public var p50: Double
        public var p99: Double
        public var p999: Double
        public var maximum: Double
        /// Respelled checks that found their own registration (per registration) or account (per account).
        public var variantsFound: Int
        /// Respelled checks that found a registration of their account (per registration; per account, as above).
        public var accountsFound: Int

        /// Resident bytes the index added, per registration it holds.
        func bytes(per registrations: Int) -> Double {
            Double(residentBytesAfter - residentBytesBefore) / Double(max(1, registrations))
        }
    }

    /// The figures of `runAccounts()`: the index of registrations workers held before accounts, and the index of
    /// accounts they hold after. A value; `Sendable`.
    public struct AccountsReport: CustomStringConvertible, Sendable {
        public var registrations: Int
        public var accounts: Int
        public var checks: Int
        public var variants: Int
        public var exactShare: Double
        public var parallelBuild: Bool
        public var perRegistration: IndexFigures
        public var perAccount: IndexFigures

        public var description: String {
            func block(_ title: String, _ figures: IndexFigures, found: String) -> String {
                let cores = ProcessInfo.processInfo.activeProcessorCount
                let build = parallelBuild ? "normalising on \(cores) cores" : "one core"
                return """
                    == \(title)
                    entries indexed         \(figures.entries) (\(figures.spellings) spellings, \(figures.slots) slots)
                    index build             \(String(format: "%.2f", figures.buildSeconds)) s (\(build)) (\(Int(Double(registrations) / figures.buildSeconds)) registrations/s)
                    resident memory         \(figures.residentBytesAfter >> 20) MiB after, \(figures.residentBytesBefore >> 20) MiB before: \(Int(figures.bytes(per: registrations))) bytes per registration
                    check latency           p50 \(String(format: "%.3f", figures.p50)) ms, p99 \(String(format: "%.3f", figures.p99)) ms, p99.9 \(String(format: "%.3f", figures.p999)) ms, max \(String(format: "%.3f", figures.maximum)) ms
                    respelled found         \(found)
                    """
            }
            let before = perRegistration
            let after = perAccount
            return """
                registrations           \(registrations) over \(accounts) accounts (\(Int((exactShare * 100).rounded())) % spelt as the account, the others respelled)
                checks                  \(checks) on one thread per index (half respelled registered customers, half new ones)
                \(block("per registration (before): one entry per registration", before, found: "\(before.variantsFound) of \(variants) their registration, \(before.accountsFound) a registration of their account, at the review threshold or above"))
                \(block("per account (after): one entry per account, its spellings as aliases", after, found: "\(after.variantsFound) of \(variants) their account at the review threshold or above"))
                after/before            memory \(String(format: "%.2f", after.bytes(per: registrations) / before.bytes(per: registrations))), build \(String(format: "%.2f", after.buildSeconds / before.buildSeconds)), p50 \(String(format: "%.2f", after.p50 / before.p50)), p99 \(String(format: "%.2f", after.p99 / before.p99))
                """
        }
    }

    /// One timed check: a customer, and the registration it respells (nil for a new customer). A value.
    struct Check {
        var customer: Customer
        var target: Int?
    }

    /// Generates `accounts` customers and `registrations` registrations of them (70 % spelt as the account, the
    /// others respelled), then builds and measures the index of registrations and the index of accounts on the
    /// same checks. The account index is built and measured first and freed before the other is built, so a heap
    /// that kept the first one's pages would flatter the registration index, not the account one.
    public func runAccounts() -> AccountsReport {
        precondition(accounts > 0 && registrations > 0)
        var generator = SyntheticCustomers()
        let owners = (0..<accounts).map { _ in generator.customer() }
        var accountOf: [Int32] = []
        var population: [Customer] = []
        accountOf.reserveCapacity(registrations)
        population.reserveCapacity(registrations)
        let exactShare = 0.7
        for registration in 0..<registrations {
            // Every account has a registration before any has two; then they fall anywhere.
            let account =
                registration < accounts ? registration : Int(Self.mix(UInt64(registration)) % UInt64(accounts))
            let exact = Double(Self.mix(UInt64(registration) ^ 0x5EED) % 1000) < exactShare * 1000
            accountOf.append(Int32(account))
            population.append(exact ? owners[account] : generator.variant(of: owners[account]))
        }
        let checkList = (0..<checks).map { check in
            let target = Int(UInt64(check) &* 2_654_435_761 % UInt64(registrations))
            return check % 2 == 0
                ? Check(customer: generator.variant(of: population[target]), target: target)
                : Check(customer: generator.customer(), target: nil)
        }
        func account(_ registration: Int) -> AccountID { AccountID(number: Int64(accountOf[registration]) + 1) }

        let perAccount = measure(checkList, isTarget: { $1 == account($0) }, isAccount: { $1 == account($0) }) {
            var index = CustomerIndex<AccountID>()
            if parallelBuild {
                index.addSpellings(contentsOf: population.indices.map { (account($0), population[$0]) })
            } else {
                for registration in population.indices {
                    index.addSpelling(account(registration), customer: population[registration])
                }
            }
            let spellings = (1...Int64(accounts)).reduce(0) { $0 + index.spellingCount(of: AccountID(number: $1)) }
            return (index, spellings)
        }
        let perRegistration = measure(
            checkList, isTarget: { $1 == RegistrationID(number: Int64($0) + 1) },
            isAccount: { accountOf[Int($1.rawValue.dropFirst(3))! - 1] == accountOf[$0] }
        ) {
            var index = CandidateIndex()
            if parallelBuild {
                index.insert(
                    contentsOf: population.indices.map { (RegistrationID(number: Int64($0 + 1)), population[$0]) })
            } else {
                for registration in population.indices {
                    index.insert(RegistrationID(number: Int64(registration + 1)), customer: population[registration])
                }
            }
            return (index, index.count)
        }
        return AccountsReport(
            registrations: registrations, accounts: accounts, checks: checks,
            variants: checkList.filter { $0.target != nil }.count, exactShare: exactShare, parallelBuild: parallelBuild,
            perRegistration: perRegistration, perAccount: perAccount)
    }

    /// Builds an index with `build` (which returns it and how many spellings it holds), measuring its time and
    /// resident memory, then times `checks` on it; the index is freed on return.
    private func measure<ID>(
        _ checks: [Check], isTarget: (Int, ID) -> Bool, isAccount: (Int, ID) -> Bool,
        build: () -> (CustomerIndex<ID>, Int)
    ) -> IndexFigures {
        let before = Self.residentBytes()
        let clock = ContinuousClock()
        let start = clock.now
        let (index, spellings) = build()
        let elapsed = start.duration(to: clock.now)
        let after = Self.residentBytes()

        var latency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000)
        var found = 0
        var accountFound = 0
        for check in checks {
            let began = clock.now
            let candidates = index.candidates(for: check.customer, minimumScore: policy.reviewThreshold)
            let took = began.duration(to: clock.now).components
            _ = latency.record(UInt64(took.seconds) * 1_000_000_000 + UInt64(took.attoseconds / 1_000_000_000))
            guard let target = check.target else { continue }
            if candidates.contains(where: { isTarget(target, $0.id) }) { found += 1 }
            if candidates.contains(where: { isAccount(target, $0.id) }) { accountFound += 1 }
        }
        func milliseconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1_000_000 }
        return IndexFigures(
            entries: index.count, spellings: spellings, slots: index.slotCount,
            buildSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            residentBytesBefore: before, residentBytesAfter: after, p50: milliseconds(latency.valueAtPercentile(50)),
            p99: milliseconds(latency.valueAtPercentile(99)), p999: milliseconds(latency.valueAtPercentile(99.9)),
            maximum: milliseconds(latency.maxRecorded), variantsFound: found, accountsFound: accountFound)
    }

    /// SplitMix64's finaliser: spreads registrations over accounts the same way on every machine.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
