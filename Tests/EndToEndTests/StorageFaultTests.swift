import DealBus
import DealModel
import DealWire
import Foundation
import Testing
import ZeroMQ

/// A service's database that is corrupt, or missing from a folder used before, stops the service with a clear
/// sentence; it is never replaced by an empty one. A registry whose storage refuses writes (a file-size limit, a
/// full disk) refuses changes with STORAGE_UNAVAILABLE, keeps answering reads, and records again once the storage
/// recovers.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StorageFaultTests {
    /// Runs an executable of the package with `arguments`.
    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.launch(LocalCluster.binaries.appendingPathComponent(executable), arguments)
    }

    /// Runs a command of the system found on the PATH (mount, prlimit); its exit status and everything it printed.
    @discardableResult
    static func system(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try launch(URL(fileURLWithPath: "/usr/bin/env"), arguments)
    }

    /// Runs `executable` with `arguments`; its exit status and everything it printed.
    static func launch(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let child = Process()
        child.executableURL = executable
        child.arguments = arguments
        let pipe = Pipe()
        child.standardOutput = pipe
        child.standardError = pipe
        try child.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        return (child.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func aCorruptOrMissingDatabaseIsReportedAndNeverRecreatedEmpty() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        cluster.stop()
        for (service, executable, file) in [
            ("registry", "dealreg-registry", "registry.sqlite"),
            ("enforcement", "dealreg-enforce", "enforcement.sqlite"),
        ] {
            let folder = cluster.data.appendingPathComponent(service)
            let database = folder.appendingPathComponent(file)
            var arguments = ["--data", folder.path, "--api", "tcp://127.0.0.1:0"]
            arguments +=
                service == "registry"
                ? ["--work", "tcp://127.0.0.1:0", "--events", "tcp://127.0.0.1:0", "--sync", "tcp://127.0.0.1:0"]
                : [
                    "--events", "tcp://127.0.0.1:0", "--key",
                    cluster.data.appendingPathComponent("keys/svc-enforce.key").path,
                    "--registry-endpoints", cluster.data.appendingPathComponent("registry/endpoints.json").path,
                ]

            // Corrupt: the first page overwritten. The service refuses to start and leaves the file as it was.
            var bytes = try Data(contentsOf: database)
            bytes.replaceSubrange(0..<64, with: Data(repeating: 0x5A, count: 64))
            try bytes.write(to: database)
            let corrupt = try run(executable, arguments)
            #expect(corrupt.status != 0, "\(service) started on a corrupt database")
            #expect(corrupt.output.contains("cannot be used"), "\(corrupt.output)")
            #expect(try Data(contentsOf: database) == bytes, "\(service) changed the corrupt file")

            // Missing, in a folder used before: refused, and nothing is created.
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: database.path + suffix)
            }
            let missing = try run(executable, arguments)
            #expect(missing.status != 0, "\(service) started afresh without its database")
            #expect(missing.output.contains("is missing"), "\(missing.output)")
            #expect(!FileManager.default.fileExists(atPath: database.path))
        }
    }
}

extension StorageFaultTests {
    /// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN; CI runners often are not).
    static var canMountTmpfs: Bool {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-probe-\(UUID().uuidString)")
        guard (try? mountTmpfs(at: probe, size: "64k")) != nil else { return false }
        unmount(probe)
        return true
    }

    /// Mounts a tmpfs of `size` at `point`, creating the folder.
    static func mountTmpfs(at point: URL, size: String) throws {
        try FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
        let mount = try system(["mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", point.path])
        guard mount.status == 0 else { throw ClusterFailure("mount: \(mount.output)") }
    }

    /// Unmounts `point` and removes its folder.
    static func unmount(_ point: URL) {
        _ = try? system(["umount", point.path])
        try? FileManager.default.removeItem(at: point)
    }

    @Test func aFileSizeLimitRefusesRegistrationsWithStorageUnavailableWhileReadsGoOn() throws {
        let cluster = try LocalCluster(workers: 1)
        let registry = try cluster.registryEndpoints.pid
        let folder = cluster.data.appendingPathComponent("registry")
        try refusesChangesUntilStorageRecovers(
            cluster,
            breakStorage: {
                // Writes past the largest file now fail with EFBIG: the WAL's next frames do not fit.
                let sizes = try ["registry.sqlite", "registry.sqlite-wal", "registry.sqlite-shm"].map { name in
                    try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size]
                        as? Int ?? 0
                }
                let limited = try Self.system(["prlimit", "--pid", "\(registry)", "--fsize=\(sizes.max()! + 4096):"])
                try #require(limited.status == 0, "prlimit: \(limited.output)")
            },
            restoreStorage: {
                let lifted = try Self.system(["prlimit", "--pid", "\(registry)", "--fsize=unlimited:"])
                try #require(lifted.status == 0, "prlimit: \(lifted.output)")
            })
    }

    @Test(.enabled(if: canMountTmpfs, "mounting a tmpfs needs root"))
    func aFullDiskRefusesRegistrationsWithStorageUnavailableUntilSpaceReturns() throws {
        var mounted: URL?
        let cluster: LocalCluster
        do {
            cluster = try LocalCluster(workers: 1) { data in
                try Self.mountTmpfs(at: data.appendingPathComponent("registry"), size: "4m")
                mounted = data.appendingPathComponent("registry")
            }
        } catch {
            if let mounted { Self.unmount(mounted) }
            throw error
        }
        defer {
            cluster.stop()
            if let mounted { Self.unmount(mounted) }
        }
        let filler = cluster.data.appendingPathComponent("registry/filler")
        try refusesChangesUntilStorageRecovers(
            cluster,
            breakStorage: {
                // dd stops at ENOSPC: the file system has no block left for the WAL's next frames.
                try Self.system(["dd", "if=/dev/zero", "of=\(filler.path)", "bs=64k"])
            },
            restoreStorage: { try FileManager.default.removeItem(at: filler) })
    }

    @Test(.enabled(if: canMountTmpfs, "mounting a tmpfs needs root"))
    func aReadOnlyDataDirectoryStopsTheRegistryWithASentenceSayingSo() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        cluster.stop()
        // Linux refuses to remount a file system read-only while a file on it is open for writing, so the stopped
        // registry's folder is copied onto a tmpfs, which is then made read-only.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-ro-\(UUID().uuidString)")
        try Self.mountTmpfs(at: folder, size: "4m")
        defer { Self.unmount(folder) }
        let original = cluster.data.appendingPathComponent("registry")
        for name in try FileManager.default.contentsOfDirectory(atPath: original.path) {
            try FileManager.default.copyItem(
                at: original.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let readOnly = try Self.system(["mount", "-o", "remount,ro", folder.path])
        try #require(readOnly.status == 0, "remount: \(readOnly.output)")
        let database = folder.appendingPathComponent("registry.sqlite")
        let bytes = try Data(contentsOf: database)

        let started = try run(
            "dealreg-registry",
            ["--data", folder.path, "--api", "tcp://127.0.0.1:0", "--work", "tcp://127.0.0.1:0"]
                + ["--events", "tcp://127.0.0.1:0", "--sync", "tcp://127.0.0.1:0"])
        #expect(started.status != 0, "the registry started on a read-only folder")
        #expect(started.output.contains("cannot be written"), "\(started.output)")
        #expect(started.output.contains("read-only or full"), "\(started.output)")
        #expect(try Data(contentsOf: database) == bytes)
    }

    /// Registers until the registry refuses two requests once `breakStorage` ran, checks the refusal and that
    /// reads go on (a read by the vendor's side only with its trace), runs `restoreStorage`, then checks that the first refused request, retried with its request_id,
    /// is decided, that the second left no trace, and that the ledger holds exactly what was acknowledged.
    func refusesChangesUntilStorageRecovers(
        _ cluster: LocalCluster, breakStorage: () throws -> Void, restoreStorage: () throws -> Void
    ) throws {
        try cluster.addParty("acme", kind: "partner")
        let context = try Context()
        let acme = try cluster.client(context: context, as: "acme")
        let admin = try cluster.client(context: context)
        let method = RegistryClient.Method.registerDeal
        func register(_ index: Int, requestID: String) throws -> Result<Dealreg_V1_RegisterDealReply, ClientError> {
            let body = CheckPoolTests.request("Cooperage \(index) GmbH", postalCode: String(10_000 + index))
            try acme.bus.send(method, body, requestID: requestID)
            return method.result(try acme.bus.receive(timeout: .seconds(30)))
        }
        func decision(_ reply: Result<Dealreg_V1_RegisterDealReply, ClientError>) -> Dealreg_V1_Decision? {
            try? reply.get().decision
        }
        var acknowledged: [String] = []
        for index in 0..<3 {
            acknowledged.append(
                try #require(decision(try register(index, requestID: "before-\(index)"))).registrationID)
        }
        let before = try admin.status()

        try breakStorage()
        var refused: [(index: Int, error: WireError)] = []
        // A refusal after an acknowledgement starts an episode of the fault (a smaller commit may fit in the space
        // a refused one left); each episode is logged once, not each refusal.
        var episodes = 0
        var lastRefused = false
        for index in 3..<200 where refused.count < 2 {
            let reply = try register(index, requestID: "during-\(index)")
            if let decided = decision(reply) {
                acknowledged.append(decided.registrationID)
                lastRefused = false
            } else if case .failure(.remote(let error)) = reply {
                refused.append((index, error))
                if !lastRefused { episodes += 1 }
                lastRefused = true
            }
        }
        try #require(refused.count == 2, "the registry never refused a registration")
        for (_, error) in refused {
            #expect(error.code == .storageUnavailable, "\(error)")
            #expect(error.message.contains("nothing was recorded; retry with the same request_id"))
            #expect(error.retryAfterMs > 0)
        }
        // Reads are answered from what is durable, which is exactly what was acknowledged. The partner's own go on;
        // one by the vendor's side is answered only once its trace is in the ledger, so it is refused like a write
        // (or, when its small commit fits where a registration's did not, recorded).
        #expect(try acme.getRegistration(acknowledged[0]).registration.id == acknowledged[0])
        let during = try admin.status()
        let listed = try acme.listRegistrations()
        #expect(during.lastSeq == before.lastSeq + UInt64(acknowledged.count - 3))
        #expect(listed.registrations.map(\.id) == acknowledged)
        var recordedReads = 0
        switch Result(catching: { () throws(ClientError) in try admin.getRegistration(acknowledged[0]) }) {
        case .success: recordedReads += 1
        case .failure(.remote(let error)): #expect(error.code == .storageUnavailable, "\(error)")
        case .failure(let error): Issue.record("the admin's read failed otherwise: \(error)")
        }

        try restoreStorage()
        // The last refused request left no trace: filed afresh, it is approved, not a duplicate of a registration
        // that was never recorded. The first, retried with its request_id as told, is decided.
        let afresh = try #require(decision(try register(refused[1].index, requestID: "after-\(refused[1].index)")))
        #expect(afresh.outcome == .approved)
        let retried = try #require(decision(try register(refused[0].index, requestID: "during-\(refused[0].index)")))
        #expect(retried.outcome == .approved)
        acknowledged += [afresh.registrationID, retried.registrationID]
        let after = try acme.listRegistrations()
        #expect(after.registrations.map(\.id) == acknowledged)
        #expect(try admin.getRegistration(acknowledged[0]).registration.id == acknowledged[0])
        recordedReads += 1
        #expect(try acme.listAccess(acknowledged[0]).entries.count == recordedReads)
        let entries = before.lastSeq + UInt64(acknowledged.count - 3 + recordedReads)
        let audit = try cluster.dealreg(["audit", "verify"])
        // Every acknowledged step is in the log; the exchange of heads with enforcement adds `witness` events.
        let line = audit.output.split(separator: "\n").first { $0.hasPrefix("registry: ") } ?? ""
        let counted = line.dropFirst("registry: ".count).prefix { $0.isNumber }
        #expect(audit.status == 0 && line.hasSuffix("intact") && (UInt64(counted) ?? 0) >= entries, "\(audit)")
        let logs = cluster.logs
        #expect(logs.components(separatedBy: "storage fault:").count - 1 == episodes, "\(logs)")
        #expect(logs.components(separatedBy: "storage writable again").count - 1 == episodes, "\(logs)")
    }

    /// `dealreg backup` copies the live databases; restored (the services stopped, the copies in place, the workers
    /// restarted to replay the restored log), the cluster serves what was there at the backup and its ledgers verify.
    @Test func aBackupTakenLiveRestoresToAClusterWhoseLedgersVerify() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        func register(_ name: String) throws -> String {
            try #require(
                try cluster.register(
                    as: "acme",
                    [
                        "--customer", name, "--country", "FR", "--products", "storage", "--amount", "1000",
                        "--currency", "EUR", "--close-date", LocalCluster.closeDate,
                    ])["registration_id"] as? String)
        }
        let kept = try register("Verrerie du Centre SA")
        let backups = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: backups) }
        // Enforcement first, so its restored cursor is never ahead of the restored registry's log.
        for (service, file) in [("enforcement", "enforcement.sqlite"), ("registry", "registry.sqlite")] {
            let copy = try cluster.dealreg(["backup", service, backups.appendingPathComponent(file).path])
            #expect(copy.status == 0 && copy.output.contains("integrity ok"), "\(copy)")
        }
        let lost = try register("Cristallerie de l'Est SA")

        // Restore: the supervisor held (SIGSTOP) so it restarts nothing yet, every service stopped, the copies put
        // in place, then the supervisor let go: it starts them all again on the same ports.
        let supervisor = try #require(cluster.pids(of: "dealreg").first)
        kill(supervisor, SIGSTOP)
        var held = true
        defer { if held { kill(supervisor, SIGCONT) } }
        let services = ["dealreg-registry", "dealreg-check", "dealreg-enforce"].flatMap { cluster.pids(of: $0) }
        for pid in services { kill(pid, SIGTERM) }
        // Stopped, a service stays a zombie until the held supervisor reaps it.
        func running(_ pid: Int32) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            return !stat.contains(") Z ")
        }
        for _ in 0..<400 where services.contains(where: running) { Thread.sleep(forTimeInterval: 0.05) }
        for (service, file) in [("enforcement", "enforcement.sqlite"), ("registry", "registry.sqlite")] {
            let live = cluster.data.appendingPathComponent("\(service)/\(file)")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: live.path + suffix) }
            try FileManager.default.copyItem(at: backups.appendingPathComponent(file), to: live)
        }
        kill(supervisor, SIGCONT)
        held = false

        var shown: (status: Int32, output: String, error: String) = (1, "", "")
        for _ in 0..<300 where shown.status != 0 {
            Thread.sleep(forTimeInterval: 0.1)
            shown = try cluster.dealreg(["show", kept, "--as", "acme"])
        }
        #expect(shown.status == 0, "\(shown)")
        #expect(try cluster.dealreg(["show", lost, "--as", "acme"]).output.contains("NOT_FOUND"))
        var audit: (status: Int32, output: String, error: String) = (1, "", "")
        for _ in 0..<100 where audit.status != 0 {
            audit = try cluster.dealreg(["audit", "verify"])
            if audit.status != 0 { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(audit.status == 0 && audit.output.contains("intact"), "\(audit)")
        // The restored registry goes on from its own log: the next registration takes the number the lost one had.
        #expect(try register("Faïencerie du Sud SA") == lost)
    }
}
