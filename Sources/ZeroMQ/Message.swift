/// A whole multipart message as received, with the metadata libzmq attached. A value; `Sendable`.
public struct Message: Sendable, Hashable {
    /// Every frame, in order; none is truncated.
    public var frames: [[UInt8]]
    /// The `User-Id` the ZAP handler set for the connection the message came on, if any.
    public var userID: String?

    public init(frames: [[UInt8]], userID: String? = nil) {
        self.frames = frames
        self.userID = userID
    }

    /// The last frame, where dealreg puts the payload after any routing frames.
    public var payload: [UInt8] { frames.last ?? [] }
}
