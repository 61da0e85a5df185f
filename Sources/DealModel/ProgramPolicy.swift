/// The program's rules in numbers; defaults are the program's published terms (ARCHITECTURE.md, "Decision
/// rules"). A running registry holds one, read from the policy file; every decision records its `version`.
/// A value; `Sendable`.
public struct ProgramPolicy: Sendable, Hashable, Codable {
    /// Names this policy in every decision made under it: the file's own label plus a digest of its content.
    public var version = "builtin"
    /// A match at least this likely (the score is a calibrated probability) to be another party's protected
    /// customer is a conflict. Set on the development set: no false conflict there down to 0.90.
    public var conflictThreshold: Double = 0.95
    /// A match at least this likely (and below the conflict threshold) goes to a channel manager.
    public var reviewThreshold: Double = 0.20
    /// Days an approved registration is protected, unless its holder's tier has its own length.
    public var protectionDays: Int = 90
    /// Protection length per partner tier (a party's `tier`).
    public var protectionDaysByTier: [String: Int] = [:]
    /// The one extension a holder may ask for before expiry, in days.
    public var extensionDays: Int = 90
    /// Business days a channel manager has to review an uncertain match.
    public var reviewSLABusinessDays: Int = 2
    /// Days a customer stays partner-managed after a partner won there (12 months).
    public var incumbencyDays: Int = 365
    /// Days after its own expiry during which the same holder's re-registration of a customer goes to review.
    public var reregistrationCooldownDays: Int = 30
    /// New registrations a principal may file per ISO week (Monday to Sunday); 0 is no limit.
    public var registrationsPerWeek: Int = 0
    /// Per-principal weekly limits that replace `registrationsPerWeek` (0: no limit for that principal).
    public var registrationsPerWeekByPrincipal: [String: Int] = [:]
    /// The product lines registrations and bookings may name, and which of them overlap (`catalog` in the policy
    /// file; the vendor's default catalog unless it gives one).
    public var catalog = ProductCatalog.standard
    /// Weekends and public holidays, per country.
    public var calendar = BusinessCalendar()
    /// Violation types (raw names, e.g. `DIRECT_BYPASS`) whose cases may be confirmed at detection: zero
    /// tolerance for clear-cut evidence; the others wait for an enforcement officer. A type that rests on a match of
    /// two customers is confirmed only on conclusive evidence (`autoConfirmEvidence`; see `autoConfirmation(of:)`).
    public var autoConfirmed: Set<String> = ["DIRECT_BYPASS", "POACHING"]
    /// The kinds of conclusive evidence a confirmation at detection may rest on
    /// (`enforcement.auto_confirm_evidence`); a match with none of them waits for an officer.
    public var autoConfirmEvidence = Set(ConclusiveEvidence.allCases)
    /// Squatting: a registrant with at least this many closed registrations...
    public var squattingMinimumClosed: Int = 5
    /// ...whose share of them that expired without outcome is at least this...
    public var squattingExpiredShare: Double = 0.5
    /// ...and at least this many times the program's norm.
    public var squattingTimesNorm: Double = 2.0
    /// The sanction each standing case brings, per kind of party (`enforcement.ladder` in the policy file).
    public var sanctionsLadder = SanctionLadder.standard

    /// Requests a second each principal may send to a service's api, sustained, and the burst above it; past them
    /// the service answers RATE_LIMITED without doing the work. Internal services are not limited.
    public var requestsPerSecond: Double = 100
    public var requestBurst: Int = 500

    public init() {}

    /// Protection days for a holder of `tier`.
    public func protectionDays(tier: String) -> Int { protectionDaysByTier[tier] ?? protectionDays }

    /// The protection a registration of `holder` earns: by its tier, or the base term once it lost its benefits.
    public func protectionDays(for holder: DecisionRules.Holder) -> Int {
        holder.benefitsLost ? protectionDays : protectionDays(tier: holder.tier)
    }

    /// The day protection granted on `day` to a holder of `tier` ends.
    public func protectionEnd(grantedOn day: CalendarDate, tier: String = "") -> CalendarDate {
        day.adding(days: protectionDays(tier: tier))
    }

    /// The day a review opened on `day` is due: the SLA in business days of `country` (weekends and its public
    /// holidays skipped).
    public func reviewDue(openedOn day: CalendarDate, country: String = "") -> CalendarDate {
        calendar.adding(businessDays: reviewSLABusinessDays, to: day, in: country)
    }

    /// The weekly limit of new registrations for `principal`; nil when unlimited.
    public func weeklyQuota(for principal: PartyID) -> Int? {
        let limit = registrationsPerWeekByPrincipal[principal.rawValue] ?? registrationsPerWeek
        return limit > 0 ? limit : nil
    }
}
