import Foundation
import ZeroMQ

/// Makes the sockets every dealreg process uses, CURVE-secured, with their options set before bind or connect.
public enum CurveSockets {
    /// A server socket bound to `endpoint`; clients are authenticated by the context's ZAP handler under `domain`.
    public static func server(
        _ context: Context, _ type: SocketType, bind endpoint: String, keyPair: CurveKeyPair, domain: String
    ) throws(ZMQError) -> Socket {
        let socket = try Socket(context: context, type: type)
        // A second to flush replies at shutdown; every reply is a stored answer, so one lost here is recovered by
        // the client's retry with the same request_id.
        try socket.setLinger(milliseconds: 1000)
        try socket.makeCurveServer(secretKey: keyPair.secretKey, zapDomain: domain)
        // A reply to a peer that is gone fails at once (EHOSTUNREACH, logged) instead of vanishing silently; the
        // sends are non-blocking, so a full peer never stalls the reactor either.
        if type == .router { try socket.setRouterMandatory(true) }
        // A publisher only ever receives subscriptions: a few bytes each.
        try socket.setMaxMessageSize(type == .publisher ? 4096 : EnvelopeCodec.socketMessageLimit)
        // Dead peers (a worker killed with -9, a cut cable) are noticed within 6 s, not at the next TCP timeout.
        try socket.setHeartbeat(intervalMilliseconds: 2000, timeoutMilliseconds: 6000)
        // Publishers drop for a subscriber more than 100,000 events behind: a stalled subscriber never slows the
        // registry, and sees the gap in `seq` and replays from `sync`. Routers bound each peer's queue at 10,000
        // messages each way, so one client cannot make the service hold unbounded memory.
        try socket.setSendHighWaterMark(type == .publisher ? 100_000 : 10_000)
        try socket.setReceiveHighWaterMark(10_000)
        try socket.bind(endpoint)
        return socket
    }

    /// Closes a bound server socket and binds a fresh one on the same endpoint, so every peer must connect and
    /// pass the ZAP handler again: how a publisher drops a subscriber whose key was revoked (subscribers reconnect
    /// on their own and replay what they missed). Retries while the old listener is still being released.
    public static func rebind(
        _ socket: Socket, _ context: Context, _ type: SocketType, keyPair: CurveKeyPair, domain: String
    ) throws -> Socket {
        let endpoint = try socket.lastEndpoint()
        socket.close()
        for _ in 0..<200 {
            if let fresh = try? server(context, type, bind: endpoint, keyPair: keyPair, domain: domain) {
                return fresh
            }
            usleep(10_000)
        }
        return try server(context, type, bind: endpoint, keyPair: keyPair, domain: domain)
    }

    /// A client socket connected to `endpoint`, authenticating with `keyPair` to the server holding `serverKey`.
    /// `endpoint` may list several, comma-separated (`Endpoints.list`): every registry process of a failover group,
    /// of which only the active one binds. Such a socket sends only on connections that completed their handshake
    /// (`ZMQ_IMMEDIATE`), so nothing queues for a standby that is not there, and drops a silent peer within 1.5 s
    /// (a frozen registry), so requests go to the one that took over.
    public static func client(
        _ context: Context, _ type: SocketType, connect endpoint: String, serverKey: CurveKey, keyPair: CurveKeyPair
    ) throws(ZMQError) -> Socket {
        let socket = try Socket(context: context, type: type)
        let endpoints = Endpoints.list(endpoint)
        // Nothing a client sends is lost by dropping it at close: unanswered requests are retried by request_id.
        try socket.setLinger(milliseconds: 0)
        try socket.makeCurveClient(serverKey: serverKey, keyPair: keyPair)
        try followFailover(socket, endpoints: endpoints.count)
        try socket.setReconnectInterval(milliseconds: 100, max: 2000)
        // Subscribers buffer as many events as their publisher does, so a replay burst is not cut on this side.
        try socket.setReceiveHighWaterMark(type == .subscriber ? 100_000 : 10_000)
        try socket.setSendHighWaterMark(10_000)
        if type == .subscriber { try socket.subscribe() }
        for endpoint in endpoints { try socket.connect(endpoint) }
        return socket
    }

    /// The heartbeats of a client socket, and with several endpoints (a failover group) `ZMQ_IMMEDIATE` and a short
    /// timeout: a frozen active registry must stop taking requests before its standby has taken over.
    public static func followFailover(_ socket: Socket, endpoints: Int) throws(ZMQError) {
        if endpoints > 1 {
            try socket.setImmediate(true)
            try socket.setHeartbeat(intervalMilliseconds: 500, timeoutMilliseconds: 1500)
        } else {
            try socket.setHeartbeat(intervalMilliseconds: 2000, timeoutMilliseconds: 6000)
        }
    }
}
