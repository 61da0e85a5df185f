import Foundation
import Synchronization

/// The system clock plus an offset in seconds read from a file, re-read at most once a second: how end-to-end
/// tests move a running service's time (an expiry 90 days on, a review SLA over a long weekend) without
/// sleeping. A missing or unreadable file is an offset of zero. Thread-safe.
public final class OffsetClock: Sendable {
    private let file: URL
    private let state = Mutex<(offset: Int64, readAt: Int64)>((0, .min))

    public init(file: URL) {
        self.file = file
    }

    /// Seconds since the Unix epoch, offset.
    public func now() -> Int64 {
        let system = Int64(Date().timeIntervalSince1970)
        return state.withLock { state in
            if system != state.readAt {
                state.readAt = system
                let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                state.offset = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            }
            return system + state.offset
        }
    }
}
