import Foundation

#if FUZZING
    /// libFuzzer's driver, linked in by `-sanitize=fuzzer`: parses libFuzzer's flags and runs the fuzzing loop.
    /// Declared by hand because libFuzzer ships no module; `LLVMFuzzerRunDriver` is its documented C entry point.
    @_silgen_name("LLVMFuzzerRunDriver")
    private func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif

/// `dealreg-fuzz`: the fuzz targets of everything a client can reach. Built with `-DFUZZING` and
/// `-sanitize=fuzzer,address` it is a libFuzzer binary running the target named by `DEALREG_FUZZ_TARGET`;
/// built normally it replays corpus files through the targets and writes the seed corpus.
@main
enum FuzzMain {
    static let usage = """
        usage: DEALREG_FUZZ_TARGET=NAME dealreg-fuzz PATH...      replay files (or folders of files) through NAME
               dealreg-fuzz --replay ROOT [--except NAME,...]    replay ROOT/<target>/ through every target
               dealreg-fuzz --write-seeds ROOT                   write the seed corpus to ROOT/<target>/
               dealreg-fuzz --list                               the targets
        A libFuzzer build (scripts/fuzz.sh) takes libFuzzer's flags instead; the target comes from the environment.
        """

    static func main() {
        #if FUZZING
            guard let target = FuzzTargets.fromEnvironment else {
                fail("DEALREG_FUZZ_TARGET must name one of: \(FuzzTargets.all.map(\.name).joined(separator: ", ")).")
            }
            target.prepare()
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(
                runFuzzerDriver(&argc, &argv) { data, size in
                    FuzzTargets.fromEnvironment?.run(
                        data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
                    return 0
                })
        #else
            replayOrWrite(Array(CommandLine.arguments.dropFirst()))
        #endif
    }

    /// The command line of a normal build: replay, seed writing, listing.
    static func replayOrWrite(_ arguments: [String]) {
        switch arguments.first {
        case "--list":
            for target in FuzzTargets.all { print("\(target.name)\t\(target.summary)") }
        case "--write-seeds":
            guard arguments.count == 2 else { fail(usage) }
            do {
                let written = try SeedCorpus.write(to: URL(fileURLWithPath: arguments[1]))
                print("wrote \(written) seeds under \(arguments[1])")
            } catch {
                fail("cannot write the seeds: \(error)")
            }
        case "--replay":
            guard arguments.count == 2 || (arguments.count == 4 && arguments[2] == "--except") else { fail(usage) }
            let root = URL(fileURLWithPath: arguments[1])
            let skipped = arguments.count == 4 ? Set(arguments[3].split(separator: ",").map(String.init)) : []
            for target in FuzzTargets.all where !skipped.contains(target.name) {
                replay(target, [root.appendingPathComponent(target.name)])
            }
        case nil, "-h", "--help":
            print(usage)
        default:
            guard let target = FuzzTargets.fromEnvironment else {
                fail("DEALREG_FUZZ_TARGET must name one of: \(FuzzTargets.all.map(\.name).joined(separator: ", ")).")
            }
            replay(target, arguments.map { URL(fileURLWithPath: $0) })
        }
    }

    /// Runs every file under `paths` through `target` once; a crash or hang ends the process, as under libFuzzer.
    static func replay(_ target: FuzzTarget, _ paths: [URL]) {
        let files = paths.flatMap(corpusFiles)
        guard !files.isEmpty else { fail("\(target.name): no corpus files under \(paths.map(\.path))") }
        let clock = ContinuousClock()
        let started = clock.now
        target.prepare()
        let verbose = ProcessInfo.processInfo.environment["DEALREG_FUZZ_VERBOSE"] == "1"
        for file in files {
            if verbose { FileHandle.standardError.write(Data("\(file.path)\n".utf8)) }
            guard let data = FileManager.default.contents(atPath: file.path) else { fail("cannot read \(file.path)") }
            target.run([UInt8](data))
        }
        let elapsed = started.duration(to: clock.now).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        print("\(target.name): \(files.count) inputs replayed, no finding (\(String(format: "%.2f", seconds)) s)")
    }

    /// The regular files at `path` (itself, or the files of the folder, sorted), skipping dot files.
    static func corpusFiles(_ path: URL) -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path.appendingPathComponent($0) }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("dealreg-fuzz: \(message)\n".utf8))
        exit(2)
    }
}
