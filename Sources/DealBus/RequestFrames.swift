import DealWire
import SwiftProtobuf
import ZeroMQ

/// A request as a ROUTER received it: the routing frames to answer on, the principal, and the payload.
/// A value; `Sendable`.
public struct RequestFrames: Sendable {
    /// Everything before the payload (peer routing id, and the empty delimiter of REQ clients).
    public var route: [[UInt8]]
    public var payload: [UInt8]
    /// The ZAP `User-Id`: the Z85 public key the connection authenticated with. Services map it to a party on
    /// every message, so a key revoked or replaced stops being honoured at once, even on open connections.
    public var key: String?

    public init?(_ message: ZeroMQ.Message) {
        guard message.frames.count >= 2 else { return nil }
        route = Array(message.frames.dropLast())
        payload = message.frames[message.frames.count - 1]
        key = message.userID
    }

    /// The frames of a reply carrying `payload`.
    public func reply(_ payload: [UInt8]) -> [[UInt8]] { route + [payload] }
}

/// Decodes and encodes envelopes, turning every decoding failure into a typed error.
public enum EnvelopeCodec {
    /// Requests larger than this get `TOO_LARGE`; the socket's own limit (disconnect) is well above it.
    public static let maximumRequestBytes = 256 * 1024
    /// The socket-level limit: libzmq drops peers that send more.
    public static let socketMessageLimit: Int64 = 4 * 1024 * 1024

    /// The envelope in `payload`, or the error to answer with (and the request id, when it is well formed).
    public static func decodeRequest(_ payload: [UInt8]) -> Result<WireEnvelope, EnvelopeFailure> {
        guard payload.count <= maximumRequestBytes else {
            return .failure(
                EnvelopeFailure(
                    requestID: "",
                    error: WireError(
                        .tooLarge, "The request is \(payload.count) bytes; at most \(maximumRequestBytes) are accepted."
                    )))
        }
        let envelope: WireEnvelope
        do {
            envelope = try WireEnvelope(serializedBytes: payload)
        } catch {
            return .failure(
                EnvelopeFailure(
                    requestID: "", error: WireError(.malformed, "The frame is not a dealreg.v1.Envelope: \(error).")))
        }
        guard envelope.version == Wire.version else {
            return .failure(
                EnvelopeFailure(
                    requestID: isWellFormed(requestID: envelope.requestID) ? envelope.requestID : "",
                    error: WireError(
                        .unsupportedVersion,
                        "Protocol version \(envelope.version) is not served; this server speaks \(Wire.version).",
                        field: "version")))
        }
        guard isWellFormed(requestID: envelope.requestID) else {
            return .failure(
                EnvelopeFailure(
                    requestID: "",
                    error: WireError(
                        envelope.requestID.isEmpty ? .missingField : .invalidField,
                        "Every request needs a request_id of 1 to 128 printable ASCII characters (no spaces).",
                        field: "request_id")))
        }
        guard envelope.body != nil else {
            return .failure(
                EnvelopeFailure(
                    requestID: envelope.requestID,
                    error: WireError(
                        .unknownMethod, "The envelope carries no request this server knows (empty or newer body).",
                        field: "body")))
        }
        // Fields this contract does not define are refused, not silently dropped: a client that thinks it said
        // something the server ignored is worse than a clear error.
        var discarding = BinaryDecodingOptions()
        discarding.discardUnknownFields = true
        if let known = try? WireEnvelope(serializedBytes: payload, options: discarding), known != envelope {
            return .failure(
                EnvelopeFailure(
                    requestID: envelope.requestID,
                    error: WireError(
                        .invalidField,
                        "The request carries fields that dealreg.v1 does not define (a newer client?); they are "
                            + "refused rather than ignored.", field: "body")))
        }
        return .success(envelope)
    }

    /// Whether `id` is a request id the server accepts and echoes: 1 to 128 printable ASCII characters, no space.
    static func isWellFormed(requestID id: String) -> Bool {
        // Printable ASCII only: the id is echoed, logged and stored as an idempotency key, where a NUL or a
        // control character would be cut, mangled or misread.
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// The serialized reply envelope.
    public static func encode(requestID: String, body: WireEnvelope.OneOf_Body) -> [UInt8] {
        (try? WireEnvelope(requestID: requestID, body: body).serializedBytes()) ?? []
    }

    public static func encode(requestID: String, error: WireError) -> [UInt8] {
        encode(requestID: requestID, body: .error(error))
    }

    /// A `SyncReply` envelope from events stored already serialized, without decoding and re-encoding each. The
    /// bytes are exactly the library's encoding of the same reply (fields in number order, `sync_reply` once), so
    /// every parser reads it, including those that keep only the last occurrence of a field (protobuf-c).
    public static func encodeSyncReply(requestID: String, headSeq: UInt64, events: [[UInt8]]) -> [UInt8] {
        var envelope = WireEnvelope()
        envelope.version = Wire.version
        envelope.requestID = requestID
        var bytes = (try? envelope.serializedBytes()) ?? []
        var inner: [UInt8] = []
        inner.reserveCapacity(events.reduce(0) { $0 + $1.count + 4 } + 11)
        for event in events { WireSplice.append(field: 1, event, to: &inner) }  // SyncReply.events
        if headSeq != 0 {
            inner.append(0x10)  // SyncReply.head_seq (field 2), varint
            WireSplice.appendVarint(headSeq, to: &inner)
        }
        WireSplice.append(field: 21, inner, to: &bytes)  // Envelope.sync_reply
        return bytes
    }
}

/// A request that cannot be served, with the error to answer.
public struct EnvelopeFailure: Error, Sendable {
    public var requestID: String
    public var error: WireError

    public init(requestID: String, error: WireError) {
        self.requestID = requestID
        self.error = error
    }
}
