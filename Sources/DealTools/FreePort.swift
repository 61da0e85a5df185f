import DealBus
import Foundation

/// A free TCP port, found by binding port 0 and closing: for the failover group's endpoints, fixed before its
/// processes start (a standby binds only when it takes over). Another process may take it meanwhile; stateless.
enum FreePort {
    /// A port free on `address` (IPv4) right now.
    static func pick(on address: String) throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw AddressError("no socket for a free port: errno \(errno)") }
        defer { close(descriptor) }
        var bound = sockaddr_in()
        bound.sin_family = sa_family_t(AF_INET)
        bound.sin_port = 0
        bound.sin_addr.s_addr = inet_addr(address == "0.0.0.0" || address == "*" ? "127.0.0.1" : address)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else { throw AddressError("no free port on \(address): errno \(errno)") }
        var found = sockaddr_in()
        var size = length
        _ = withUnsafeMutablePointer(to: &found) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &size) }
        }
        return Int(UInt16(bigEndian: found.sin_port))
    }
}
