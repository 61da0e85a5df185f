/// The program's rules in numbers; defaults are the program's published terms. A value; `Sendable`.
public struct ProgramPolicy: Sendable, Hashable, Codable {
    /// A match scoring at least this against another party's protection is a conflict.
    public var conflictThreshold: Double = 0.90
    /// A match scoring at least this (and below the conflict threshold) goes to a channel manager.
    public var reviewThreshold: Double = 0.75
    /// Days an approved registration is protected.
    public var protectionDays: Int = 90
    /// Business days a channel manager has to review an uncertain match.
    public var reviewSLABusinessDays: Int = 2

    public init() {}

    /// The day protection granted on `day` ends.
    public func protectionEnd(grantedOn day: CalendarDate) -> CalendarDate { day.adding(days: protectionDays) }

    /// The day a review opened on `day` is due, skipping weekends.
    public func reviewDue(openedOn day: CalendarDate) -> CalendarDate {
        var due = day
        var remaining = reviewSLABusinessDays
        while remaining > 0 {
            due = due.adding(days: 1)
            if !due.isWeekend { remaining -= 1 }
        }
        return due
    }
}
