import DealModel
import DealWire
import Logging

/// A request to a service's api, decoded and authenticated: who asks, for which action of the matrix with which
/// access, the envelope, and where the answer goes. A value; `Sendable`.
public struct APIRequest: Sendable {
    /// The routing frames to answer on (opaque to the service's core).
    public var route: [[UInt8]]
    public var envelope: WireEnvelope
    public var principal: Party
    public var action: Action
    /// What the matrix grants the principal's kind for `action`: never `.denied` here.
    public var access: Access

    public var requestID: String { envelope.requestID }
}

/// What a handler did with a request: answered it, or took it in hand (the core answers once it is decided and
/// durable).
public enum Handling: Sendable {
    case reply(WireEnvelope.OneOf_Body)
    case inHand
}

/// A service's api as one table: a handler per action of the authorisation matrix. Serving a request checks the
/// matrix once, runs the action's handler and turns whatever it throws into the typed error to answer. Adding an
/// RPC adds a row here, a row to `AccessPolicy`, the handler and the typed client's method. A value; `Sendable`.
public struct ServiceMethods<Core>: Sendable {
    public typealias Handler = @Sendable (inout Core, APIRequest, Moment) throws -> Handling

    /// The service's name in refusals ("the registry's api").
    public let service: String
    private let handlers: [Action: Handler]
    /// The typed answer to an error of the layers below that is not a `WireError` (a storage fault), nil for a bug.
    private let translate: @Sendable (any Error) -> WireError?

    public init(
        service: String, translating translate: @escaping @Sendable (any Error) -> WireError? = { _ in nil },
        _ handlers: [Action: Handler]
    ) {
        self.service = service
        self.translate = translate
        self.handlers = handlers
    }

    /// The actions this api serves.
    public var actions: Set<Action> { Set(handlers.keys) }

    /// Serves `envelope` from `principal` with `core`: UNKNOWN_METHOD for a request this api does not serve,
    /// the field for an enum value it cannot read, PERMISSION_DENIED where the matrix says so, else the handler's
    /// answer. An error that is not a `WireError`
    /// or a `ValidationError` is logged and answered `INTERNAL`.
    public func serve(
        _ envelope: WireEnvelope, route: [[UInt8]], principal: Party, core: inout Core, at now: Moment,
        logger: Logger
    ) -> Result<Handling, WireError> {
        guard let action = envelope.action, let handler = handlers[action] else {
            return .failure(
                WireError(
                    .unknownMethod, "'\(envelope.methodName)' is not a request \(service) serves.", field: "body"))
        }
        if let unreadable = envelope.unreadableEnumValue { return .failure(unreadable) }
        let access = AccessPolicy.access(principal.kind, action)
        guard access != .denied else {
            return .failure(WireError(.permissionDenied, AccessPolicy.refusal(principal.kind, action)))
        }
        let request = APIRequest(
            route: route, envelope: envelope, principal: principal, action: action, access: access)
        do {
            return .success(try handler(&core, request, now))
        } catch let error as WireError {
            return .failure(error)
        } catch let error as ValidationError {
            return .failure(error.wire)
        } catch {
            if let answer = translate(error) { return .failure(answer) }
            logger.error(
                "request failed",
                metadata: [
                    "request_id": "\(envelope.requestID)", "method": "\(envelope.methodName)", "error": "\(error)",
                ])
            return .failure(WireError(.internal, "\(service) could not serve the request: \(error)"))
        }
    }
}

/// How a request on a service's api is taken in, the same way at every service: decoded, mapped to the party whose
/// current key it came with, and admitted by the rate limiter, before any method is looked at.
public enum APIIntake {
    /// The answer to a message whose key is no longer a party's.
    public static let staleKey = WireError(
        .unauthenticated,
        "This connection's key is no longer a party's key (revoked or rotated); reconnect with the new key.")

    /// What became of a request: admitted, refused with the error to answer, or held by the rate limiter (which
    /// answers it later).
    public enum Outcome {
        case admitted(WireEnvelope, Party)
        case refused(requestID: String, WireError)
        case held
    }

    /// Takes `request` in: `principal` maps a connection's key to its party, `limiter` applies the api's limits.
    public static func take(
        _ request: RequestFrames, principal: (String?) -> Party?, limiter: RateLimiter, at now: Moment
    ) -> Outcome {
        let envelope: WireEnvelope
        switch EnvelopeCodec.decodeRequest(request.payload) {
        case .success(let decoded): envelope = decoded
        case .failure(let failure): return .refused(requestID: failure.requestID, failure.error)
        }
        let id = envelope.requestID
        guard let party = principal(request.key) else { return .refused(requestID: id, staleKey) }
        // Refused before any work and without a log line each: a flood costs little more than its decoding.
        guard
            limiter.admit(
                party.id, kind: party.kind, at: now.instant,
                answer: { request.reply(EnvelopeCodec.encode(requestID: id, error: $0)) })
        else { return .held }
        return .admitted(envelope, party)
    }
}
