import DealBus
import DealModel
import DealWire
import Foundation
import Testing
import ZeroMQ

/// Least privilege, over real processes: who gets through the handshake on each socket, every cell of the
/// authorisation matrix, keys revoked and rotated on live connections, and nothing leaking between partners.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SecurityTests {
    /// One socket of a service: where it is, how a client talks to it.
    struct Endpoint {
        var name: String
        var address: String
        var serverKey: CurveKey
        var type: SocketType
    }

    func endpoints(_ cluster: LocalCluster) throws -> [Endpoint] {
        var all: [Endpoint] = []
        for (service, file) in [("registry", "registry/endpoints.json"), ("enforcement", "enforcement/endpoints.json")]
        {
            let announced = try ServiceEndpoints.read(cluster.data.appendingPathComponent(file))
            let key = try #require(CurveKey(z85: announced.publicKey))
            for (socket, address) in announced.endpoints.sorted(by: { $0.key < $1.key }) {
                all.append(
                    Endpoint(
                        name: "\(service) \(socket)", address: ServiceEndpoints.connectable(address), serverKey: key,
                        type: socket == "events" ? .subscriber : .dealer))
            }
        }
        return all
    }

    /// Whether a client with `keyPair` (nil: plaintext, no CURVE at all) completes the handshake with `endpoint`
    /// within `seconds`.
    func handshakes(_ endpoint: Endpoint, keyPair: CurveKeyPair?, context: Context, seconds: Double = 3) throws -> Bool
    {
        let socket = try Socket(context: context, type: endpoint.type)
        defer { socket.close() }
        let monitor = try SocketMonitor(context: context, monitoring: socket)
        defer { monitor.socket.close() }
        try socket.setLinger(milliseconds: 0)
        if let keyPair { try socket.makeCurveClient(serverKey: endpoint.serverKey, keyPair: keyPair) }
        if endpoint.type == .subscriber { try socket.subscribe() }
        try socket.connect(endpoint.address)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            while let event = try monitor.next() {
                if event.event == SocketEvent.handshakeSucceeded { return true }
                if event.isHandshakeFailure { return false }
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Polls `condition` for up to five seconds.
    func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<100 {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @Test func unknownRevokedAndPlaintextClientsAreRefusedOnEverySocket() throws {
        let cluster = try LocalCluster(workers: 1)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner")] { try cluster.addParty(id, kind: kind) }
        let context = try Context()
        let sockets = try endpoints(cluster)
        #expect(
            sockets.map(\.name) == [
                "registry api", "registry events", "registry sync", "registry work", "enforcement api",
                "enforcement events",
            ])
        let admin = try cluster.keyPair(of: "admin")
        let worker = try cluster.keyPair(of: "svc-check")
        let acme = try cluster.keyPair(of: "acme")
        for endpoint in sockets {
            #expect(
                try !handshakes(endpoint, keyPair: try CurveKeyPair.generate(), context: context), "\(endpoint.name)")
            #expect(try !handshakes(endpoint, keyPair: nil, context: context), "plaintext on \(endpoint.name)")
            // The right kind gets in; a partner only reaches the two apis.
            let allowed = endpoint.name == "registry work" ? worker : admin
            #expect(try handshakes(endpoint, keyPair: allowed, context: context), "\(endpoint.name)")
            #expect(
                try handshakes(endpoint, keyPair: acme, context: context) == endpoint.name.hasSuffix("api"),
                "a partner on \(endpoint.name)")
        }

        // Revoked: the open connection's next request is refused, and no new connection gets in anywhere.
        let open = try cluster.client(context: context, as: "acme")
        _ = try open.call(.status(.init()))
        let revoked = try cluster.dealreg(["keys", "revoke", "acme", "--reason", "laptop stolen", "--json"])
        #expect(revoked.status == 0, "\(revoked)")
        #expect {
            _ = try open.call(.status(.init()))
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .unauthenticated
        }
        for endpoint in sockets {
            #expect(
                try eventually { try !handshakes(endpoint, keyPair: acme, context: context, seconds: 1) },
                "revoked key on \(endpoint.name)")
        }
        let listed = try cluster.dealreg(["keys", "list", "--json"]).output
        #expect(listed.contains(#""party":"acme","public_key":"","secret_here":false,"state":"revoked""#), "\(listed)")

        // Rotated: the old key is refused, the new one (now in the keystore) works at both services.
        let oldBolt = try cluster.keyPair(of: "bolt")
        #expect(try cluster.dealreg(["keys", "rotate", "bolt", "--reason", "yearly"]).status == 0)
        let newBolt = try cluster.keyPair(of: "bolt")
        #expect(newBolt.publicKey != oldBolt.publicKey)
        for endpoint in sockets where endpoint.name.hasSuffix("api") {
            #expect(try eventually { try !handshakes(endpoint, keyPair: oldBolt, context: context, seconds: 1) })
            #expect(try eventually { try handshakes(endpoint, keyPair: newBolt, context: context, seconds: 1) })
        }
        let keyFile = cluster.data.appendingPathComponent("keys/bolt.key").path
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Secrets are never logged.
        let secret = try #require(try Keystore.read(URL(fileURLWithPath: keyFile)).secretKey as String?)
        #expect(!cluster.logs.contains(secret) && !cluster.upOutput.contains(secret))
    }
}
