/// Due process for one violation: every violation opens a case. Clear-cut ones are confirmed at once (zero
/// tolerance, on conclusive evidence: `ProgramPolicy.autoConfirmation(of:)`); an officer confirms or dismisses the
/// others; the accused may appeal a confirmed case once; an officer upholds or overturns the appeal. The case's id
/// is its violation's. A value; `Sendable`.
public struct EnforcementCase: Sendable, Hashable {
    /// Where a case stands.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case open, confirmed, dismissed, appealed, upheld, overturned

        /// Whether the case counts against its party: a rung of the sanctions ladder (confirmed, appealed while
        /// the appeal is heard, or upheld).
        public var isStanding: Bool { self == .confirmed || self == .appealed || self == .upheld }
    }

    /// A step of due process an officer or the accused may take.
    public enum StepAction: String, Sendable, Hashable, CaseIterable {
        case confirm, dismiss, appeal, uphold, overturn

        /// The state the step leads to.
        public var outcome: State {
            switch self {
            case .confirm: .confirmed
            case .dismiss: .dismissed
            case .appeal: .appealed
            case .uphold: .upheld
            case .overturn: .overturned
            }
        }
    }

    /// One step taken, with who took it and why. A value; `Sendable`.
    public struct Step: Sendable, Hashable {
        /// Seconds since the Unix epoch.
        public var time: Int64
        /// Who took it (`enforcement` for a confirmation at detection).
        public var actor: PartyID
        public var action: StepAction
        public var reason: String

        public init(time: Int64, actor: PartyID, action: StepAction, reason: String) {
            self.time = time
            self.actor = actor
            self.action = action
            self.reason = reason
        }
    }

    /// Who confirms clear-cut violations at detection.
    public static let automaticActor = PartyID("enforcement")

    public var violation: DetectedViolation
    public var state: State
    public var steps: [Step]
    /// The sanction a confirmation imposed, if any.
    public var sanction: SanctionID?
    /// Why detection confirmed the case at once, or left it open for an officer (`ProgramPolicy.AutoConfirmation`);
    /// empty for a case opened before detection said.
    public var triage: String

    /// The case `violation` opens, with why it is or is not confirmed at once.
    public init(opening violation: DetectedViolation, triage: String = "") {
        self.init(violation: violation, state: .open, steps: [], sanction: nil, triage: triage)
    }

    public init(
        violation: DetectedViolation, state: State, steps: [Step], sanction: SanctionID?, triage: String = ""
    ) {
        self.violation = violation
        self.state = state
        self.steps = steps
        self.sanction = sanction
        self.triage = triage
    }

    public var id: ViolationID { violation.id }
    /// The accused.
    public var party: PartyID { violation.party }

    /// Whether `action` may be taken now: confirming or dismissing an open case, appealing a confirmed one that
    /// was never appealed, upholding or overturning an appeal.
    public func allows(_ action: StepAction) -> Bool {
        switch action {
        case .confirm, .dismiss: state == .open
        case .appeal: state == .confirmed && !steps.contains { $0.action == .appeal }
        case .uphold, .overturn: state == .appealed
        }
    }

    /// Takes `step` (the caller checked `allows`): the case moves to the step's outcome and keeps the step.
    public mutating func take(_ step: Step) {
        state = step.action.outcome
        steps.append(step)
    }
}
