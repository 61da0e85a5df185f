import Foundation

/// Endpoint lists: a setting or flag naming every process of a failover group (`tcp://a:7400,tcp://b:7400`).
public enum Endpoints {
    /// The endpoints of a comma-separated list, trimmed, empty ones left out.
    public static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
