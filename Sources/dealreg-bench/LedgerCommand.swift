import ArgumentParser
import DealBench
import DealLedger
import DealModel
import DealStore
import DealWire
import Foundation
import GRDB
import Registry

/// `dealreg-bench ledger`: what the signed ledger costs. The primitives (an Ed25519 signature, a Merkle append), the
/// ledger's upkeep per entry in a store's commit against a bare hash chain (CPU time, so the disk's fsyncs do not
/// blur it), then `audit verify` and proofs on a registry of `--audit-entries` seeded registrations.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Signing and tree upkeep per registration, and audit and proof times on a large registry.")

    @Option(help: "Entries appended per measurement of the commit path.") var entries = 50_000
    @Option(help: "Registrations seeded for the audit (0: skip it).") var auditEntries = 1_000_000
    @Option(help: "Where to put the databases (default: a new temporary folder, removed after).") var directory: String?

    func run() throws {
        let folder = URL(
            fileURLWithPath: directory ?? NSTemporaryDirectory() + "dealreg-ledger-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        primitives()
        // A registration event is about 700 bytes; the bench appends bodies of that size.
        let body = [UInt8](repeating: 0x5A, count: 700)
        print("\ncommit path, CPU µs per entry (\(entries) entries, 700-byte events, synchronous=OFF):")
        print("  entries/commit   hash chain only   signed ledger   upkeep (ledger − chain)")
        for batch in [1, 16, 256] {
            let chain = try commitPath(folder, body: body, batch: batch, signed: false)
            let ledger = try commitPath(folder, body: body, batch: batch, signed: true)
            print(
                "  \(pad(batch, 14))   \(pad(chain, 15, digits: 1))   \(pad(ledger, 13, digits: 1))   "
                    + "\(pad(ledger - chain, 9, digits: 1))")
        }
        guard auditEntries > 0 else { return }
        try audit(folder.appendingPathComponent("cluster"))
    }

    /// Ed25519 signing and verifying, and a Merkle append, each timed alone.
    private func primitives() {
        let signer = LedgerKey(service: "registry").signer()
        var head = LedgerHead(
            service: "registry", size: 1, root: [UInt8](repeating: 1, count: 32),
            chainHash: [UInt8](repeating: 2, count: 32), time: 1)
        let count = 20_000
        var signed = head
        let signing = cpu {
            for index in 0..<count {
                head.size = UInt64(index)
                signed = signer.sign(head)
            }
        }
        var valid = 0
        let verifying = cpu { for _ in 0..<count where signed.isSignatureValid { valid += 1 } }
        var accumulator = MerkleAccumulator()
        let chain = [UInt8](repeating: 3, count: 32)
        let appends = 1_000_000
        let appending = cpu {
            for seq in 1...UInt64(appends) { accumulator.append(MerkleTree.leafHash(seq: seq, chainHash: chain)) }
        }
        let rooting = cpu { for _ in 0..<count { _ = accumulator.root } }
        var bytes = 0
        let attaching = cpu { bytes = RegistryLedgerProbe.attachReceipts(count: count, head: signed) }
        print("primitives (CPU µs each):")
        print("  Ed25519 sign a head        \(format(signing / Double(count), digits: 2))")
        print("  Ed25519 verify a head      \(format(verifying / Double(count), digits: 2))  (\(valid) valid)")
        print("  Merkle leaf + append       \(format(appending / Double(appends), digits: 2))")
        print("  root at \(appends) leaves   \(format(rooting / Double(count), digits: 2))")
        print(
            "  receipt into a reply       \(format(attaching / Double(count), digits: 2))  "
                + "(\(bytes / count) bytes: decoded, completed, encoded again)")
    }

    /// CPU µs per entry to append `entries` entries of `body`, `batch` per transaction: a bare hash chain (hash and
    /// row), or the signed ledger (chain, Merkle tree, its nodes, a signed head per transaction, one kept a second).
    private func commitPath(_ folder: URL, body: [UInt8], batch: Int, signed: Bool) throws -> Double {
        let file = folder.appendingPathComponent("commit-\(batch)-\(signed).sqlite")
        try? FileManager.default.removeItem(at: file)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        let queue = SQLiteDatabase(try DatabaseQueue(path: file.path, configuration: configuration))
        try queue.write { db in
            try db.executeScript(
                "CREATE TABLE log (seq INTEGER PRIMARY KEY, body BLOB NOT NULL, hash BLOB NOT NULL);"
                    + SignedLedger.schema(prefix: "bench"))
        }
        let signer = LedgerKey(service: "registry").signer()
        var ledger = try queue.write { db in
            try SignedLedger.open(service: "registry", prefix: "bench", log: "log", signer: signer, at: 0, db)
        }
        var hash = LedgerChain.genesis
        var seq: UInt64 = 0
        var time: Int64 = 0
        let spent = try cpu {
            while seq < UInt64(entries) {
                try queue.write { db in
                    for _ in 0..<batch {
                        seq += 1
                        if signed {
                            hash = try ledger.append(seq: seq, body, db)
                        } else {
                            hash = LedgerChain.next(after: hash, body)
                        }
                        try db.execute(
                            "INSERT INTO log (seq, body, hash) VALUES (?, ?, ?)", .int(seq), .blob(body), .blob(hash))
                    }
                    // A turn's head: a new second every 100 turns, so one in a hundred is kept.
                    time += seq % 100 == 0 ? 1 : 0
                    if signed { try ledger.sign(at: time, by: signer, db) }
                }
            }
        }
        return spent / Double(entries)
    }

    /// Seeds a registry of `auditEntries` registrations, then times its audit and 1,000 proofs.
    private func audit(_ cluster: URL) throws {
        let data = cluster.appendingPathComponent("registry")
        var generator = SyntheticCustomers(seed: 7)
        let customers = (0..<auditEntries).map { _ in generator.customer() }
        let clock = ContinuousClock()
        var started = clock.now
        let last = try RegistrySeeding.seed(
            dataDirectory: data, holder: PartyID("seed-partner"), customers: customers)
        print("\nseeded \(auditEntries) registrations (\(last) events) in \(started.duration(to: clock.now))")
        started = clock.now
        var verdict: (entries: Int, heads: Int, firstBroken: String?) = (0, 0, nil)
        let auditCPU = try cpu { verdict = try RegistryLedgerProbe.verify(dataDirectory: data) }
        let auditWall = started.duration(to: clock.now)
        print(
            "audit verify: \(verdict.entries) events, \(verdict.heads) signed heads, "
                + "\(verdict.firstBroken.map { "BROKEN at \($0)" } ?? "intact") in \(auditWall) "
                + "(\(format(auditCPU / 1_000_000, digits: 1)) s CPU, "
                + "\(format(auditCPU / Double(max(verdict.entries, 1)), digits: 2)) µs per event)")
        started = clock.now
        var proofs = 0
        let proofCPU = try cpu { proofs = try RegistryLedgerProbe.prove(dataDirectory: data, count: 1000) }
        print(
            "proofs: \(proofs) inclusion + consistency proofs made and checked in \(started.duration(to: clock.now)) "
                + "(\(format(proofCPU / Double(max(proofs, 1)), digits: 0)) µs CPU each, store opening included)")
    }

    /// The process's CPU time (user + system) `body` takes, in µs.
    private func cpu(_ body: () throws -> Void) rethrows -> Double {
        func now() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
        }
        let start = now()
        try body()
        return now() - start
    }

    private func format(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }

    private func pad(_ value: Int, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - "\(value)".count)) + "\(value)"
    }

    private func pad(_ value: Double, _ width: Int, digits: Int) -> String {
        let text = format(value, digits: digits)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
