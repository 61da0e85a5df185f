import DealWire

/// One RPC of a service: how its request goes into an envelope's body and how its reply comes out of one. A value;
/// `Sendable`. The typed clients call through these; a caller that pipelines requests (the load generator, imports)
/// sends with `body(_:)` and reads each reply it matched by request id with `decode(_:)`.
public struct BusMethod<Request, Reply>: Sendable {
    /// The RPC's name in the proto's `service` block, e.g. `RegisterDeal`.
    public let name: String
    private let wrap: @Sendable (Request) -> WireEnvelope.OneOf_Body
    private let unwrap: @Sendable (WireEnvelope.OneOf_Body) -> Reply?

    public init(
        _ name: String, request: @escaping @Sendable (Request) -> WireEnvelope.OneOf_Body,
        reply: @escaping @Sendable (WireEnvelope.OneOf_Body) -> Reply?
    ) {
        self.name = name
        wrap = request
        unwrap = reply
    }

    /// The envelope body that asks for this RPC.
    public func body(_ request: Request) -> WireEnvelope.OneOf_Body { wrap(request) }

    /// The typed reply in a reply's body: an error reply is thrown as `.remote`, any other body as `.badReply`.
    public func decode(_ body: WireEnvelope.OneOf_Body?) throws(ClientError) -> Reply {
        guard let body else { throw .badReply("expected a \(name) reply, got an empty body") }
        if case .error(let error) = body { throw .remote(error) }
        guard let reply = unwrap(body) else {
            throw .badReply("expected a \(name) reply, got \(WireEnvelope(requestID: "", body: body).methodName)")
        }
        return reply
    }

    /// The typed reply a received envelope carries (see `decode(_:)` of a body).
    public func decode(_ envelope: WireEnvelope) throws(ClientError) -> Reply { try decode(envelope.body) }

    /// `decode(_:)` as a value, for callers that sort answers rather than stop at the first error.
    public func result(_ envelope: WireEnvelope) -> Result<Reply, ClientError> {
        Result { () throws(ClientError) -> Reply in try decode(envelope) }
    }
}

extension BusClient {
    /// How long the typed clients wait for an answer unless told otherwise, as `call(_:requestID:timeout:)` does.
    public static let defaultTimeout: Duration = .seconds(15)

    /// Sends one request of `method` and waits for its typed reply; a typed error reply is thrown as `.remote`.
    public func call<Request, Reply>(
        _ method: BusMethod<Request, Reply>, _ request: Request, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Reply {
        try method.decode(call(method.body(request), requestID: requestID, timeout: timeout))
    }

    /// Queues one request of `method`; its reply comes back through `receive`, to read with `method.decode`.
    public func send<Request, Reply>(
        _ method: BusMethod<Request, Reply>, _ request: Request, requestID: String
    ) throws(ClientError) {
        try send(method.body(request), requestID: requestID)
    }
}
