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
        if type != .publisher { try socket.setMaxMessageSize(EnvelopeCodec.socketMessageLimit) }
        try socket.setHeartbeat(intervalMilliseconds: 2000, timeoutMilliseconds: 6000)
        try socket.setSendHighWaterMark(type == .publisher ? 100_000 : 10_000)
        try socket.setReceiveHighWaterMark(10_000)
        try socket.bind(endpoint)
        return socket
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
