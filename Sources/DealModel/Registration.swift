/// What the registry decided about a registration.
public enum Outcome: String, Sendable, Hashable, Codable {
    case approved = "APPROVED"
    case rejected = "REJECTED"
    case pendingReview = "PENDING_REVIEW"
    case duplicate = "DUPLICATE"
}

/// Where a registration is in its lifecycle.
public enum RegistrationStatus: String, Sendable, Hashable, Codable {
    case approved, rejected, pendingReview = "pending-review", won, lost, expired, withdrawn

    /// Whether it can conflict with a new registration.
    public var holdsCustomer: Bool { self == .approved || self == .pendingReview }
}

/// One piece of evidence behind a match, e.g. `name 0.96` or `postal code equal`. A value; `Sendable`.
public struct MatchReason: Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: String
    public var similarity: Double
    public var detail: String

    public init(field: String, similarity: Double, detail: String = "") {
        self.field = field
        self.similarity = similarity
        self.detail = detail
    }

    public var description: String {
        detail.isEmpty ? "\(field) \(Self.format(similarity))" : "\(field) \(detail)"
    }

    /// Two decimals, for reasons and scores printed to people; "?" for a value that is not a finite number within
    /// ±10^12 (only a corrupt or hostile message carries one: the fuzz target found the conversion trapping).
    public static func format(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "?" }
        let hundredths = Int((abs(value) * 100).rounded())
        return "\(value < 0 && hundredths > 0 ? "-" : "")\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")"
            + "\(hundredths % 100)"
    }
}

/// A registration a new one matched, with the evidence. A value; `Sendable`.
public struct Match: Sendable, Hashable, Codable {
    public var registrationID: RegistrationID
    public var score: Double
    public var reasons: [MatchReason]
    public var holderKind: PartyKind
    public var tender: Bool
    public var overlappingProductLines: [String]
    /// The account of the matched registration.
    public var accountID: AccountID?

    public init(
        registrationID: RegistrationID, score: Double, reasons: [MatchReason], holderKind: PartyKind, tender: Bool,
        overlappingProductLines: [String], accountID: AccountID? = nil
    ) {
        self.accountID = accountID
        self.registrationID = registrationID
        self.score = score
        self.reasons = reasons
        self.holderKind = holderKind
        self.tender = tender
        self.overlappingProductLines = overlappingProductLines
    }
}

/// The registry's answer to a registration. A value; `Sendable`.
public struct Decision: Sendable, Hashable, Codable {
    public var registrationID: RegistrationID
    public var outcome: Outcome
    public var protectedUntil: CalendarDate?
    public var reviewDue: CalendarDate?
    public var conflictingRegistrationID: RegistrationID?
    public var matches: [Match]
    public var explanation: String
    public var decidedAt: Int64
    /// The version of the program policy the decision applied.
    public var policyVersion: String

    public init(
        registrationID: RegistrationID, outcome: Outcome, protectedUntil: CalendarDate? = nil,
        reviewDue: CalendarDate? = nil, conflictingRegistrationID: RegistrationID? = nil, matches: [Match] = [],
        explanation: String, decidedAt: Int64, policyVersion: String = ""
    ) {
        self.policyVersion = policyVersion
        self.registrationID = registrationID
        self.outcome = outcome
        self.protectedUntil = protectedUntil
        self.reviewDue = reviewDue
        self.conflictingRegistrationID = conflictingRegistrationID
        self.matches = matches
        self.explanation = explanation
        self.decidedAt = decidedAt
    }
}

/// A registration as the registry keeps it. A value; `Sendable`.
public struct Registration: Sendable, Hashable, Codable {
    public var id: RegistrationID
    public var registrant: PartyID
    /// Who holds the protection: the registrant, or the reseller it filed for.
    public var holder: PartyID
    public var holderKind: PartyKind
    public var request: DealRequest
    public var status: RegistrationStatus
    public var decision: Decision
    /// When it left the active states (won, lost, withdrawn, expired, or rejected in review).
    public var closedOn: CalendarDate?
    /// Whether its one extension has been used.
    public var extended: Bool
    /// The account (the customer) it hangs off; nil only in a store from before accounts, until it is migrated.
    public var account: AccountID?

    public init(
        id: RegistrationID, registrant: PartyID, holder: PartyID, holderKind: PartyKind, request: DealRequest,
        status: RegistrationStatus, decision: Decision, closedOn: CalendarDate? = nil, extended: Bool = false,
        account: AccountID? = nil
    ) {
        self.account = account
        self.closedOn = closedOn
        self.extended = extended
        self.id = id
        self.registrant = registrant
        self.holder = holder
        self.holderKind = holderKind
        self.request = request
        self.status = status
        self.decision = decision
    }

    /// Whether it holds its customer against others on `day`: approved and still protected, or in review.
    public func holdsCustomer(on day: CalendarDate) -> Bool {
        switch status {
        case .pendingReview: true
        case .approved: (decision.protectedUntil.map { $0 >= day }) ?? true
        default: false
        }
    }

    /// Whether it makes its customer partner-managed on `day`: won by the channel within the incumbency period.
    public func managesAccount(on day: CalendarDate, policy: ProgramPolicy) -> Bool {
        guard status == .won, holderKind.isChannel, let closedOn else { return false }
        return day <= closedOn.adding(days: policy.incumbencyDays)
    }

    /// Whether it held its customer and that protection has ended short of a win: withdrawn, lost, expired, or
    /// rejected in review (a registration rejected at its decision never held the customer).
    public var endedProtection: Bool {
        switch status {
        case .withdrawn, .lost, .expired: true
        case .rejected: closedOn != nil
        default: false
        }
    }

    /// Whether its protection ended (`endedProtection`) within the re-registration cooldown before `day`: its
    /// holder's new registration of the customer then goes to review, so withdrawing and filing again cannot
    /// stretch a protection past its term and its one extension.
    public func coolingDown(on day: CalendarDate, policy: ProgramPolicy) -> Bool {
        guard endedProtection, let closedOn else { return false }
        return day <= closedOn.adding(days: policy.reregistrationCooldownDays)
    }

    /// Whether a conflict check must see it: it holds its customer, or may make it partner-managed or cooling down.
    public var isIndexed: Bool { status.holdsCustomer || status == .won || endedProtection }

    /// Whether it holds an exclusive protection of its account's product lines: approved or in review, and not a
    /// public tender. The registry's store keeps these per (account, product line) under a uniqueness constraint.
    public var holdsExclusiveProtection: Bool { status.holdsCustomer && !request.tender }

    /// Whether a decision on `day` must still see it among its account's registrations: it holds its customer, or
    /// its win or its end is recent enough (within `horizonDays`) to make the account partner-managed or cooling.
    public func concernsDecisions(on day: CalendarDate, horizonDays: Int) -> Bool {
        if status.holdsCustomer { return true }
        guard status == .won || endedProtection, let closedOn else { return false }
        return closedOn.adding(days: horizonDays) >= day
    }
}
