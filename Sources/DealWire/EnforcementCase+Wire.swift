import DealModel
import Foundation

extension EnforcementCase.State {
    public var wire: Dealreg_V1_CaseState {
        switch self {
        case .open: .open
        case .confirmed: .confirmed
        case .dismissed: .dismissed
        case .appealed: .appealed
        case .upheld: .upheld
        case .overturned: .overturned
        }
    }

    /// Nil for an unspecified or unknown state.
    public init?(wire: Dealreg_V1_CaseState) {
        switch wire {
        case .open: self = .open
        case .confirmed: self = .confirmed
        case .dismissed: self = .dismissed
        case .appealed: self = .appealed
        case .upheld: self = .upheld
        case .overturned: self = .overturned
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}

extension EnforcementCase.StepAction {
    public var wire: Dealreg_V1_CaseAction {
        switch self {
        case .confirm: .confirm
        case .dismiss: .dismiss
        case .appeal: .appeal
        case .uphold: .uphold
        case .overturn: .overturn
        }
    }

    /// Nil for no action (a request that only shows the case) or an unknown one.
    public init?(wire: Dealreg_V1_CaseAction) {
        switch wire {
        case .confirm: self = .confirm
        case .dismiss: self = .dismiss
        case .appeal: self = .appeal
        case .uphold: self = .uphold
        case .overturn: self = .overturn
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}

extension EnforcementCase.Step {
    public var wire: Dealreg_V1_CaseStep {
        var wire = Dealreg_V1_CaseStep()
        wire.time = time
        wire.actor = actor.rawValue
        wire.action = action.wire
        wire.reason = reason
        return wire
    }

    public init?(wire: Dealreg_V1_CaseStep) {
        guard let action = EnforcementCase.StepAction(wire: wire.action) else { return nil }
        self.init(time: wire.time, actor: PartyID(wire.actor), action: action, reason: wire.reason)
    }
}

extension EnforcementCase {
    public var wire: Dealreg_V1_Case {
        var wire = Dealreg_V1_Case()
        wire.id = id.rawValue
        wire.violation = violation.wire
        wire.state = state.wire
        wire.steps = steps.map(\.wire)
        wire.sanctionID = sanction?.rawValue ?? ""
        wire.triage = triage
        return wire
    }

    /// On the wire as `access` may see it (see `DetectedViolation.wire(shownTo:)`).
    public func wire(shownTo access: Access) -> Dealreg_V1_Case {
        var wire = self.wire
        wire.violation = violation.wire(shownTo: access)
        return wire
    }

    /// Nil when the wire case is incomplete (a stored one never is).
    public init?(wire: Dealreg_V1_Case) {
        guard let violation = DetectedViolation(wire: wire.violation), let state = State(wire: wire.state) else {
            return nil
        }
        let steps = wire.steps.compactMap(Step.init(wire:))
        guard steps.count == wire.steps.count else { return nil }
        self.init(
            violation: violation, state: state, steps: steps,
            sanction: wire.sanctionID.isEmpty ? nil : SanctionID(wire.sanctionID), triage: wire.triage)
    }

    /// A case from the bytes a store keeps (its serialized wire form); nil when they do not decode.
    public init?(serialized bytes: Data) {
        guard let wire = try? Dealreg_V1_Case(serializedBytes: bytes) else { return nil }
        self.init(wire: wire)
    }
}
