import DealLedger
import DealModel
import SwiftProtobuf

/// The protocol version this build speaks.
public enum Wire {
    public static let version: UInt32 = 1
}

public typealias WireEnvelope = Dealreg_V1_Envelope
public typealias WireError = Dealreg_V1_Error
public typealias WireErrorCode = Dealreg_V1_ErrorCode
public typealias WireEvent = Dealreg_V1_Event
public typealias WireWorkMessage = Dealreg_V1_WorkMessage

extension Dealreg_V1_Error {
    public init(_ code: Dealreg_V1_ErrorCode, _ message: String, field: String = "") {
        self.init()
        self.code = code
        self.message = message
        self.field = field
    }
}

extension Dealreg_V1_Envelope {
    /// An envelope of this protocol version carrying `body`.
    public init(requestID: String, body: Dealreg_V1_Envelope.OneOf_Body) {
        self.init()
        version = Wire.version
        self.requestID = requestID
        self.body = body
    }

    /// The refusal of a request whose enum field, which names the step it asks for, holds no value this build
    /// knows: nil for any other request. Checked before the matrix, since the action (showing a case or deciding
    /// it, reviewing a registration or closing it) cannot be told, so every caller gets the field named.
    public var unreadableEnumValue: WireError? {
        switch body {
        case .caseRequest(let request)?:
            if case .UNRECOGNIZED = request.action {
                return WireError(.invalidField, "Unknown case action.", field: "action")
            }
        case .listCases(let request)?:
            if case .UNRECOGNIZED = request.state {
                return WireError(.invalidField, "The case state is unknown.", field: "state")
            }
        case .transition(let request)?:
            switch request.transition {
            // INVALID_FIELD for a missing one too, as v1 has always answered.
            case .unspecified, .UNRECOGNIZED:
                return WireError(.invalidField, "The transition is missing or unknown.", field: "transition")
            default: break
            }
        default:
            break
        }
        return nil
    }

    /// The action of the authorisation matrix the body asks for; nil for replies and errors.
    public var action: Action? {
        switch body {
        case .registerDeal?: .register
        case .getRegistration?: .showRegistration
        case .listRegistrations?: .listRegistrations
        case .addParty?: .addParty
        case .status(let request)?: request.resetLatency ? .resetMetrics : .status
        case .sync?: .replayLog
        case .transition(let request)?:
            switch request.transition {
            case .approve, .reject: .review
            case .extend: .extend
            // A missing or unknown transition is refused before the matrix (`unreadableEnumValue`).
            case .won, .lost, .withdraw, .unspecified, .UNRECOGNIZED: .close
            }
        case .history?: .history
        case .policy(let request)?: request.reload ? .reloadPolicy : .showPolicy
        case .recordBooking?: .recordBooking
        case .listViolations?: .listViolations
        case .setStanding?: .setStanding
        case .caseRequest(let request)?:
            switch request.action {
            case .unspecified: .showCase
            case .appeal: .appealCase
            case .confirm, .dismiss, .uphold, .overturn: .judgeCase
            // An action this build does not know asks for no step: whoever may see the case reaches the handler,
            // which refuses the value with its field, as the registry's handlers do.
            case .UNRECOGNIZED: .showCase
            }
        case .listSanctions?: .listSanctions
        case .liftSanction?: .liftSanction
        case .audit?: .audit
        case .listEscalations?: .listEscalations
        case .listCases?: .listCases
        case .setKey?: .setKey
        case .feed?: .feed
        case .listParties?: .listParties
        case .stats?: .stats
        case .backup?: .backup
        case .linkParties?: .linkParties
        case .acceptLink?: .acceptLink
        case .unlinkParties?: .unlinkParties
        case .listLinks?: .listLinks
        case .showAccount?: .showAccount
        case .listAccounts?: .listAccounts
        case .mergeAccounts?: .mergeAccounts
        case .splitAccount?: .splitAccount
        case .prove?: .prove
        case .exchangeHeads?: .exchangeHeads
        case .heads?: .showHeads
        case .listAccess?: .listAccess
        default: nil
        }
    }

    /// The envelope's name for its body, for logs and errors.
    public var methodName: String {
        guard let body else { return "none" }
        return String(describing: body).prefix(while: { $0 != "(" }).description
    }
}

extension Dealreg_V1_ErrorCode {
    /// The stable name clients print and match on, as in the proto without its prefix (`INVALID_FIELD`).
    public var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .malformed: "MALFORMED"
        case .unsupportedVersion: "UNSUPPORTED_VERSION"
        case .unknownMethod: "UNKNOWN_METHOD"
        case .invalidField: "INVALID_FIELD"
        case .missingField: "MISSING_FIELD"
        case .unauthenticated: "UNAUTHENTICATED"
        case .permissionDenied: "PERMISSION_DENIED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .registrantSanctioned: "REGISTRANT_SANCTIONED"
        case .unavailable: "UNAVAILABLE"
        case .tooLarge: "TOO_LARGE"
        case .requestIDReused: "REQUEST_ID_REUSED"
        case .internal: "INTERNAL"
        case .overloaded: "OVERLOADED"
        case .quotaExceeded: "QUOTA_EXCEEDED"
        case .invalidTransition: "INVALID_TRANSITION"
        case .invalidPolicy: "INVALID_POLICY"
        case .rateLimited: "RATE_LIMITED"
        case .storageUnavailable: "STORAGE_UNAVAILABLE"
        case .UNRECOGNIZED(let value): "ERROR_\(value)"
        }
    }
}

extension SwiftProtobuf.Message {
    /// Same bytes for the same request (deterministic serialization), hashed with FNV-1a, plus the length: how
    /// services recognise a retry of a request id or order id with the same content.
    public var fingerprint: String {
        let bytes: [UInt8] = (try? serializedBytes()) ?? []
        return String(FNV1a.hash(bytes), radix: 16) + ":" + String(bytes.count)
    }
}

extension Dealreg_V1_AuditReply {
    /// A service's audit verdict: intact unless `firstBroken` names an entry.
    public init(service: String, entries: Int, firstBroken: String?, reason: String, heads: Int = 0) {
        self.init()
        self.service = service
        self.entries = UInt64(entries)
        intact = firstBroken == nil
        self.firstBroken = firstBroken ?? ""
        self.reason = reason
        headsChecked = UInt64(heads)
    }

    /// `service`'s verdict.
    public init(service: String, _ verdict: LedgerChain.Verdict) {
        self.init(
            service: service, entries: verdict.entries, firstBroken: verdict.firstBroken, reason: verdict.reason,
            heads: verdict.heads)
    }
}

extension WireError {
    /// How long to wait before sending the same request again (same `request_id`), when the server said to: over a
    /// rate limit, overloaded, or unable to write its database. Nil for an answer that is final.
    public var retryAfter: Duration? {
        switch code {
        case .rateLimited, .overloaded, .storageUnavailable: .milliseconds(max(1, Int(retryAfterMs)))
        default: nil
        }
    }
}

extension WireError {
    /// The answer to a request the service could not read or write its database for (a full disk, the database
    /// server restarting or unreachable): nothing was recorded; the same request may be sent again after
    /// `retryAfterMs`.
    public static func storageUnavailable(retryAfterMs: UInt32) -> WireError {
        var error = WireError(
            .storageUnavailable,
            "The service cannot reach its database (disk full, read-only, or the database server unreachable); "
                + "nothing was recorded; retry with the same request_id later.")
        error.retryAfterMs = retryAfterMs
        return error
    }
}

/// A typed error a service answers with: thrown by request handlers and caught in one place per service.
extension Dealreg_V1_Error: Error {}
