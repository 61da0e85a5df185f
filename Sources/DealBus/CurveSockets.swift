import Foundation
import ZeroMQ

/// Makes the sockets every dealreg process uses, CURVE-secured, with their options set before bind or connect.
public enum CurveSockets {
    /// A server socket bound to `endpoint`; clients are authenticated by the context's ZAP handler under `domain`.
    public static func server(
        _ context: Context, _ type: SocketType, bind endpoint: String, keyPair: CurveKeyPair, domain: String
    ) throws(ZMQError) -> Socket {
        let socket = try Socket(context: context, type: type)
        try socket.setLinger(milliseconds: 1000)
        try socket.makeCurveServer(secretKey: keyPair.secretKey, zapDomain: domain)
        if type == .router { try socket.setRouterMandatory(true) }
        // A publisher only ever receives subscriptions: a few bytes each.
        try socket.setMaxMessageSize(type == .publisher ? 4096 : EnvelopeCodec.socketMessageLimit)
        try socket.setHeartbeat(intervalMilliseconds: 2000, timeoutMilliseconds: 6000)
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
    public static func client(
        _ context: Context, _ type: SocketType, connect endpoint: String, serverKey: CurveKey, keyPair: CurveKeyPair
    ) throws(ZMQError) -> Socket {
        let socket = try Socket(context: context, type: type)
        try socket.setLinger(milliseconds: 0)
        try socket.makeCurveClient(serverKey: serverKey, keyPair: keyPair)
        try socket.setHeartbeat(intervalMilliseconds: 2000, timeoutMilliseconds: 6000)
        try socket.setReconnectInterval(milliseconds: 100, max: 2000)
        try socket.setReceiveHighWaterMark(type == .subscriber ? 100_000 : 10_000)
        try socket.setSendHighWaterMark(10_000)
        if type == .subscriber { try socket.subscribe() }
        try socket.connect(endpoint)
        return socket
    }
}
