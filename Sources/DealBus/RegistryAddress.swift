import Foundation
import ZeroMQ

/// How a process finds the registry: an `endpoints.json` written by a running registry, with explicit
/// endpoints and key overriding it. A value; `Sendable`.
public struct RegistryAddress: Sendable {
    public var api: String
    public var work: String
    public var events: String
    public var sync: String
    public var key: CurveKey

    /// Reads `file` (may be nil) and applies the overrides; fails with a sentence naming what is missing.
    public static func resolve(
        endpointsFile: String?, api: String? = nil, work: String? = nil, events: String? = nil, sync: String? = nil,
        key: String? = nil
    ) throws -> RegistryAddress {
        let file = try endpointsFile.map { try ServiceEndpoints.read(URL(fileURLWithPath: $0)) }
        func endpoint(_ name: String, _ override: String?) -> String {
            override ?? file?.endpoints[name].map(ServiceEndpoints.connectable) ?? ""
        }
        guard let keyText = key ?? file?.publicKey, let curveKey = CurveKey(z85: keyText) else {
            throw AddressError("No registry public key: pass --registry-endpoints FILE or --registry-key Z85.")
        }
        return RegistryAddress(
            api: endpoint("api", api), work: endpoint("work", work), events: endpoint("events", events),
            sync: endpoint("sync", sync), key: curveKey)
    }

    /// Fails with a sentence when one of the named endpoints is unknown.
    public func require(_ names: String...) throws {
        let known = ["api": api, "work": work, "events": events, "sync": sync]
        for name in names where known[name, default: ""].isEmpty {
            throw AddressError("No registry \(name) endpoint: pass --registry-endpoints FILE or --registry-\(name).")
        }
    }
}

/// A configuration problem, told as one sentence.
public struct AddressError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
