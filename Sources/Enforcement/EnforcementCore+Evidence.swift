import DealModel
import Matching

/// What a violation found on a booking rests on, kept for the officer: the booking's customer, the registration's,
/// and the conclusive evidence that they are one (`CustomerScorer.conclusiveEvidence`), on which its case may be
/// confirmed at once (`ProgramPolicy.autoConfirmation(of:)`).
extension EnforcementCore {
    /// `violation` of a booking of `booked` (normalised as `normalized`), against `registration`, with the two
    /// customers and the conclusive evidence between them. A registration of an account stands for the account,
    /// as in detection: the violated registration is tried first, then the account's other watched registrations
    /// by id, and the first whose customer gives evidence of a kind the policy accepts (or failing that, of any
    /// kind) is the one shown; with none, the violated registration's customer is shown with no evidence.
    func withEvidence(
        _ violation: Violation, booked: Customer, normalized: NormalizedCustomer, against registration: Registration
    ) throws -> Violation {
        var tried = [registration]
        if let account = account(of: registration) {
            tried += (try watchedRegistrations(of: [account])[account] ?? []).filter { $0.id != registration.id }.sorted
            { $0.id < $1.id }
        }
        var shown = (customer: registration.request.customer, evidence: [ConclusiveEvidence]())
        for candidate in tried {
            let customer = candidate.request.customer
            let evidence = scorer.conclusiveEvidence(normalized, NormalizedCustomer(customer))
            if evidence.contains(where: policy.autoConfirmEvidence.contains) {
                shown = (customer, evidence)
                break
            }
            if shown.evidence.isEmpty && !evidence.isEmpty { shown = (customer, evidence) }
        }
        var evidenced = violation
        evidenced.bookingCustomer = booked
        evidenced.registrationCustomer = shown.customer
        evidenced.conclusiveEvidence = shown.evidence
        return evidenced
    }
}
