import DealModel
import DealWire
import Foundation

/// A case as the CLI prints it (`--json`: one object per line): its state and steps, and what an officer judges it
/// on: the booking's customer beside the registration's, the match score and reasons, the conclusive evidence found
/// and why detection confirmed the case or left it open. A value.
struct CaseLine: Codable {
    var case_id: String
    var state: String
    var party: String
    var type: String
    var sanction_id: String
    var steps: [String]
    var order_id: String?
    var registration_id: String?
    var score: Double
    var reasons: [String]
    var explanation: String
    var booking_customer: AccountLine.SpellingLine?
    /// Unset for the accused party, which is not shown another party's protected customer.
    var registration_customer: AccountLine.SpellingLine?
    var conclusive_evidence: [String]
    var triage: String?

    init(_ record: Dealreg_V1_Case) {
        func given(_ text: String) -> String? { text.isEmpty ? nil : text }
        let violation = record.violation
        case_id = record.id
        state = CaseCommand.name(record.state)
        party = violation.party
        type = ViolationType(wire: violation.type)?.rawValue ?? "?"
        sanction_id = record.sanctionID
        steps = record.steps.map { "\($0.actor) \(CaseCommand.name($0.action)): \($0.reason)" }
        order_id = given(violation.orderID)
        registration_id = given(violation.registrationID)
        score = violation.score
        reasons = violation.reasons.map { MatchReason(wire: $0).description }
        explanation = violation.explanation
        booking_customer =
            violation.hasBookingCustomer ? AccountLine.SpellingLine(Customer(wire: violation.bookingCustomer)) : nil
        registration_customer =
            violation.hasRegistrationCustomer
            ? AccountLine.SpellingLine(Customer(wire: violation.registrationCustomer)) : nil
        conclusive_evidence = violation.conclusiveEvidence.map {
            ConclusiveEvidence(wire: $0)?.rawValue ?? "?"
        }
        triage = given(record.triage)
    }

    /// `V-00000001  OPEN  POACHING  bolt  sanction S-00000001`, then its steps.
    var summary: String {
        (["\(case_id)  \(state)  \(type)  \(party)  sanction \(sanction_id)"] + steps.map { "  \($0)" })
            .joined(separator: "\n")
    }

    /// The summary, then what the case rests on: why it is confirmed or waits, the match, the evidence and the two
    /// customers side by side.
    var text: String {
        var lines = [summary]
        if let triage { lines.append("  \(triage)") }
        lines.append("  \(explanation)")
        if booking_customer != nil || registration_customer != nil {
            lines.append(
                "  score \(String(format: "%.4f", score))"
                    + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: ", ")))
            lines.append(
                "  conclusive evidence: "
                    + (conclusive_evidence.isEmpty ? "none" : conclusive_evidence.joined(separator: ", ")))
            lines += sideBySide().map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// The two customers field by field, the booking's on the left: only the fields either of them has.
    private func sideBySide() -> [String] {
        let fields: [(String, (AccountLine.SpellingLine) -> String?)] = [
            ("legal name", \.legal_name), ("street", \.street), ("postal code", \.postal_code), ("city", \.city),
            ("region", \.region), ("country", \.country), ("web domain", \.web_domain), ("tax id", \.tax_id),
        ]
        let rows = fields.compactMap { label, value -> (String, String, String)? in
            let left = booking_customer.flatMap(value) ?? ""
            let right = registration_customer.flatMap(value) ?? ""
            return left.isEmpty && right.isEmpty ? nil : (label, left, right)
        }
        let labelWidth = 13
        let leftWidth = max(rows.map(\.1.count).max() ?? 0, "booking".count) + 2
        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(width - text.count, 0))
        }
        // No padding after the last column.
        func row(_ label: String, _ left: String, _ right: String) -> String {
            pad(label, labelWidth) + (right.isEmpty ? left : pad(left, leftWidth) + right)
        }
        let right = registration_customer == nil ? "registration (not shown to the accused)" : "registration"
        return [row("", "booking", right)] + rows.map { row($0.0, $0.1, $0.2) }
    }

    func print(json: Bool, detailed: Bool) {
        Swift.print(json ? jsonText(self) : detailed ? text : summary)
    }
}
