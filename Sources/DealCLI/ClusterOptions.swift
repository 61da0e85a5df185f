import ArgumentParser
import DealBus
import DealModel
import Foundation
import ZeroMQ

/// Where the local cluster's data is: `--data`, else `DEALREG_DATA`, else `~/.dealreg`.
public struct DataOptions: ParsableArguments {
    @Option(help: "Cluster data directory (default: $DEALREG_DATA, else ~/.dealreg).") var data: String?

    public init() {}

    /// Options for the data directory `path`.
    public init(directory path: String) {
        data = path
    }

    public var directory: URL {
        if let data { return URL(fileURLWithPath: data) }
        if let environment = ProcessInfo.processInfo.environment["DEALREG_DATA"], !environment.isEmpty {
            return URL(fileURLWithPath: environment)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".dealreg")
    }

    public var keystore: Keystore { Keystore(directory: directory.appendingPathComponent("keys")) }
    public var registryEndpointsFile: URL { directory.appendingPathComponent("registry/endpoints.json") }

    /// A client of the registry as `principal`, whose key is in the keystore. The registry is `registry` (else
    /// `DEALREG_REGISTRY`, else the local cluster's), its key `registryKey` (else `DEALREG_REGISTRY_KEY`, else the
    /// local cluster's); fails with a sentence saying what is missing.
    public func connect(as principal: String, registry: String?, registryKey: String? = nil, context: Context) throws
        -> RegistryClient
    {
        let environment = ProcessInfo.processInfo.environment
        let address = try RegistryAddress.resolve(
            endpointsFile: FileManager.default.fileExists(atPath: registryEndpointsFile.path)
                ? registryEndpointsFile.path : nil,
            api: registry ?? environment["DEALREG_REGISTRY"].flatMap { $0.isEmpty ? nil : $0 },
            key: registryKey ?? environment["DEALREG_REGISTRY_KEY"].flatMap { $0.isEmpty ? nil : $0 })
        try address.require("api")
        let identity = try keystore.load(PartyID(principal))
        guard let keyPair = identity.keyPair else {
            throw AddressError("The key of '\(principal)' in the keystore is unusable.")
        }
        return try RegistryClient(context: context, endpoint: address.api, serverKey: address.key, keyPair: keyPair)
    }
}

extension DataOptions {
    /// A client of enforcement as `principal`: at `DEALREG_ENFORCEMENT` with the key `DEALREG_ENFORCEMENT_KEY` (a
    /// remote one), else the local cluster's (its `endpoints.json`).
    public func connectEnforcement(as principal: String, context: Context) throws -> EnforcementClient {
        let environment = ProcessInfo.processInfo.environment
        let file = directory.appendingPathComponent("enforcement/endpoints.json")
        let api: String
        let key: CurveKey
        if let remote = environment["DEALREG_ENFORCEMENT"], !remote.isEmpty {
            guard let given = environment["DEALREG_ENFORCEMENT_KEY"].flatMap(CurveKey.init(z85:)) else {
                throw AddressError(
                    "DEALREG_ENFORCEMENT is set: DEALREG_ENFORCEMENT_KEY must hold its public key (Z85).")
            }
            (api, key) = (remote, given)
        } else {
            guard let endpoints = try? ServiceEndpoints.read(file), let announced = endpoints.endpoints["api"],
                let announcedKey = CurveKey(z85: endpoints.publicKey)
            else {
                throw AddressError(
                    "No enforcement service announced itself in \(file.path); is the cluster up? (A remote one: set "
                        + "DEALREG_ENFORCEMENT and DEALREG_ENFORCEMENT_KEY.)")
            }
            (api, key) = (ServiceEndpoints.connectable(announced), announcedKey)
        }
        let identity = try keystore.load(PartyID(principal))
        guard let keyPair = identity.keyPair else {
            throw AddressError("The key of '\(principal)' in the keystore is unusable.")
        }
        return try EnforcementClient(context: context, endpoint: api, serverKey: key, keyPair: keyPair)
    }
}

/// How a client command reaches the registry and as whom.
struct ClientOptions: ParsableArguments {
    @OptionGroup var data: DataOptions
    @Option(name: .customLong("as"), help: "The principal to act as (its key is read from the keystore).")
    var principal: String
    @Option(help: "Registry api endpoint (default: $DEALREG_REGISTRY, else the local cluster's).") var registry: String?
    @Option(help: "Registry public key, Z85 (default: $DEALREG_REGISTRY_KEY, else the local cluster's).")
    var registryKey: String?
    @Option(help: "Seconds to wait for an answer.") var timeout = 30

    /// A connected client, or a sentence saying what is missing.
    func connect(context: Context) throws -> RegistryClient {
        try data.connect(as: principal, registry: registry, registryKey: registryKey, context: context)
    }
}

/// Prints an error the way every subcommand does and exits non-zero.
public func exitWithError(_ error: Error) -> Never {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    Foundation.exit(1)
}
