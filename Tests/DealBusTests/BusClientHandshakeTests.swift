import DealBus
import Foundation
import Synchronization
import Testing
import ZeroMQ

/// What a client of a failover group makes of a connection lost during its handshake: a registry that steps down
/// and exits, or is killed, while the client's reconnection to it waits for its handshake (it was frozen) resets
/// that connection. That is no refusal of the client's key: the call goes on to the registry that serves.
@Suite(.timeLimit(.minutes(1)))
struct BusClientHandshakeTests {
    /// A TCP listener on loopback that reads what a connecting client says first (its ZMTP greeting) and then
    /// resets the connection, as a registry process that exits mid-handshake does; until stopped.
    final class ResettingListener: @unchecked Sendable {
        let port: UInt16
        private let descriptor: Int32
        private let stopped = Atomic(false)

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, length) == 0 && listen(descriptor, 16) == 0
                        && getsockname(descriptor, $0, &length) == 0
                }
            }
            guard bound else { throw ListenerFailure(errno: errno) }
            self.descriptor = descriptor
            port = UInt16(bigEndian: address.sin_port)
            Thread.detachNewThread { [self] in serve() }
        }

        struct ListenerFailure: Error { let errno: Int32 }

        private func serve() {
            while !stopped.load(ordering: .relaxed) {
                var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, 100) > 0 else { continue }
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else { continue }
                var greeting = [UInt8](repeating: 0, count: 64)
                _ = read(connection, &greeting, greeting.count)
                var reset = linger(l_onoff: 1, l_linger: 0)
                setsockopt(connection, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
                close(connection)
            }
            close(descriptor)
        }

        func stop() { stopped.store(true, ordering: .relaxed) }
    }

    @Test func aConnectionResetDuringTheHandshakeIsNotARefusalOfTheKey() throws {
        let listener = try ResettingListener()
        defer { listener.stop() }
        let context = try Context()
        // The listener and a port nobody serves: a group whose active registry is not reachable yet.
        let client = try BusClient(
            context: context, endpoint: "tcp://127.0.0.1:\(listener.port),tcp://127.0.0.1:9",
            serverKey: try CurveKeyPair.generate().publicKey, keyPair: try CurveKeyPair.generate())
        #expect(client.followsFailover)
        #expect {
            _ = try client.receive(timeout: .seconds(3))
        } throws: { error in
            guard case ClientError.timeout = error else { return false }
            return true
        }
    }
}
