import Foundation

/// Where a running service can be reached, and its CURVE public key; written by the service once it serves.
/// A value; `Sendable`.
public struct ServiceEndpoints: Sendable, Hashable, Codable {
    public var service: String
    /// Socket name (`api`, `work`, `events`, `sync`) to its bound endpoint, wildcard ports resolved.
    public var endpoints: [String: String]
    /// Z85 CURVE public key of the service.
    public var publicKey: String
    public var pid: Int32

    public init(service: String, endpoints: [String: String], publicKey: String, pid: Int32) {
        self.service = service
        self.endpoints = endpoints
        self.publicKey = publicKey
        self.pid = pid
    }

    enum CodingKeys: String, CodingKey {
        case service, endpoints, pid
        case publicKey = "public_key"
    }

    /// Writes the file atomically, so a reader never sees half of it.
    public func write(to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: file, options: .atomic)
    }

    public static func read(_ file: URL) throws -> ServiceEndpoints {
        try JSONDecoder().decode(ServiceEndpoints.self, from: Data(contentsOf: file))
    }

    /// `tcp://0.0.0.0:7400` → `tcp://127.0.0.1:7400`: a wildcard bind is reached on loopback locally.
    public static func connectable(_ endpoint: String) -> String {
        endpoint.replacingOccurrences(of: "//0.0.0.0:", with: "//127.0.0.1:")
            .replacingOccurrences(of: "//*:", with: "//127.0.0.1:")
            .replacingOccurrences(of: "//[::]:", with: "//[::1]:")
    }
}
