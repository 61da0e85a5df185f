/// The program's rules in numbers; defaults are the program's published terms. A value; `Sendable`.
public struct ProgramPolicy: Sendable, Hashable, Codable {
    /// A match at least this likely (the score is a calibrated probability) to be another party's protected
    /// customer is a conflict. Set on the development set: no false conflict there down to 0.90.
    public var conflictThreshold: Double = 0.95
    /// A match at least this likely (and below the conflict threshold) goes to a channel manager.
    public var reviewThreshold: Double = 0.20
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
