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

    /// The envelope's name for its body, for logs and errors.
    public var methodName: String {
        guard let body else { return "none" }
        return String(describing: body).prefix(while: { $0 != "(" }).description
    }
}
