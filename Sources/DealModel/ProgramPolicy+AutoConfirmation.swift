extension ProgramPolicy {
    /// Whether a violation is confirmed at detection, with no officer, and the sentence its case keeps saying why
    /// or why not. A value; `Sendable`.
    public struct AutoConfirmation: Sendable, Hashable {
        /// Whether the case is confirmed (and sanctioned) at detection; otherwise it waits for an officer.
        public var confirmed: Bool
        /// Why, for the officer and the accused.
        public var reason: String

        public init(confirmed: Bool, reason: String) {
            self.confirmed = confirmed
            self.reason = reason
        }
    }

    /// Whether `violation` is confirmed at detection. The policy must list its type (`autoConfirmed`); what makes
    /// it conclusive then depends on what the type rests on:
    /// - `DIRECT_BYPASS`, `POACHING` and `LATE_REGISTRATION` rest on the matcher judging a booking's customer to be
    ///   a registration's: conclusive only with evidence of a kind `autoConfirmEvidence` lists (an equal valid tax
    ///   id, an equal own web domain and a similar name, a near-exact name at the same address), however high the
    ///   score. Similar names in one town, or a shared mail domain, wait for an officer.
    /// - `CUSTOMER_SWITCH` rests on the opposite, a booking's customer the matcher finds unlike the registration
    ///   the booking quotes. A low score proves no switch (a renamed customer, or a registration id mistyped in
    ///   the ERP, looks the same), so it is never confirmed at detection, whatever the policy lists.
    /// - `FALSE_TENDER` rests on a channel manager's rejection of the tender in review, and `SQUATTING` on exact
    ///   counts of the registrant's closed registrations against the policy's thresholds. No customers are matched,
    ///   so the evidence is what it is: the listing alone decides.
    public func autoConfirmation(of violation: Violation) -> AutoConfirmation {
        let type = violation.type
        guard autoConfirmed.contains(type.rawValue) else {
            return AutoConfirmation(
                confirmed: false,
                reason: "Waits for an officer: the policy does not confirm \(type.rawValue) at detection.")
        }
        switch type {
        case .directBypass, .poaching, .lateRegistration:
            let accepted = violation.conclusiveEvidence.filter(autoConfirmEvidence.contains)
            if !accepted.isEmpty {
                return AutoConfirmation(
                    confirmed: true,
                    reason: "Confirmed at detection on conclusive evidence: "
                        + accepted.map(\.sentence).joined(separator: "; ") + ".")
            }
            if !violation.conclusiveEvidence.isEmpty {
                let found = violation.conclusiveEvidence.map(\.rawValue).joined(separator: ", ")
                return AutoConfirmation(
                    confirmed: false,
                    reason: "Waits for an officer: the conclusive evidence found (\(found)) is of no kind the policy "
                        + "confirms on (enforcement.auto_confirm_evidence).")
            }
            return AutoConfirmation(
                confirmed: false,
                reason: "Waits for an officer: nothing conclusive shows the two customers are one (no equal valid "
                    + "tax id, no equal own web domain with a similar name, no near-exact name at the same address), "
                    + "however high the score.")
        case .customerSwitch:
            return AutoConfirmation(
                confirmed: false,
                reason: "Waits for an officer: a booking unlike the registration it quotes is never confirmed at "
                    + "detection (a renamed customer or a mistyped registration id looks the same).")
        case .falseTender, .squatting:
            return AutoConfirmation(
                confirmed: true,
                reason: "Confirmed at detection (zero tolerance): \(type.rawValue) rests on the program's own "
                    + "records, not on a match of customers.")
        }
    }
}
