import Foundation

/// The process that started this one, as it was when first asked, and whether it has exited since (this process
/// then has another parent: init or a subreaper). Thread-safe.
public enum LaunchingParent {
    private static let pid = getppid()

    /// Notes the parent now; an executable calls it first in `main`, so that a parent gone during a long start-up
    /// is noticed once the service watches, rather than the new parent being taken for the one that started it.
    public static func record() { _ = pid }

    /// Whether the parent noted by `record()` (or by the first call to this) has exited.
    public static var isGone: Bool { getppid() != pid }
}
