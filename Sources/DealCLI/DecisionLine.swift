import DealModel
import DealWire
import Foundation

/// One decision (or error) as the CLI prints it in JSON: the shape of `register --json` and of each
/// `import --json` line.
struct DecisionLine: Codable {
    struct MatchLine: Codable {
        var registration_id: String
        var score: Double
        var reasons: [String]
        var holder_kind: String
        var account_id: String?
    }

    struct ErrorLine: Codable {
        var code: String
        var message: String
        var field: String
    }

    var row: Int?
    var ref: String?
    var registration_id: String?
    var outcome: String?
    var protected_until: String?
    var review_due: String?
    var conflicting_registration_id: String?
    var explanation: String?
    var policy_version: String?
    var matches: [MatchLine]?
    var error: ErrorLine?
    /// The event that recorded the decision under a signed head (`audit prove` reads it from this line).
    var receipt: ReceiptJSON?

    init(row: Int? = nil, ref: String?, decision: Decision) {
        self.row = row
        self.ref = ref
        registration_id = decision.registrationID.rawValue
        outcome = decision.outcome.rawValue
        protected_until = decision.protectedUntil?.description
        policy_version = decision.policyVersion.isEmpty ? nil : decision.policyVersion
        review_due = decision.reviewDue?.description
        conflicting_registration_id = decision.conflictingRegistrationID?.rawValue
        explanation = decision.explanation
        matches = decision.matches.map {
            MatchLine(
                registration_id: $0.registrationID.rawValue, score: ($0.score * 1000).rounded() / 1000,
                reasons: $0.reasons.map(\.description), holder_kind: $0.holderKind.rawValue,
                account_id: $0.accountID?.rawValue)
        }
    }

    init(row: Int? = nil, ref: String?, error: WireError) {
        self.row = row
        self.ref = ref
        self.error = ErrorLine(code: error.code.name, message: error.message, field: error.field)
    }

    init(row: Int? = nil, ref: String?, code: String, message: String, field: String) {
        self.row = row
        self.ref = ref
        error = ErrorLine(code: code, message: message, field: field)
    }

    var json: String {
        jsonText(self)
    }

    /// The human form: one headline, then the matches and the explanation.
    var text: String {
        if let error {
            return (row.map { "row \($0): " } ?? "") + "error \(error.code)"
                + (error.field.isEmpty ? "" : " [\(error.field)]") + ": \(error.message)"
        }
        var headline = (row.map { "row \($0): " } ?? "") + "\(registration_id ?? "") \(outcome ?? "")"
        if let protected_until { headline += " protected until \(protected_until)" }
        if let review_due { headline += " review due \(review_due)" }
        if let conflicting_registration_id { headline += " conflicts with \(conflicting_registration_id)" }
        var lines = [headline]
        for match in matches ?? [] {
            lines.append(
                "  match \(match.registration_id) (\(match.holder_kind)"
                    + (match.account_id.map { ", \($0)" } ?? "") + ") score \(MatchReason.format(match.score)): "
                    + match.reasons.joined(separator: ", "))
        }
        if let explanation { lines.append("  " + explanation) }
        return lines.joined(separator: "\n")
    }
}

/// One JSON line of an encodable value, keys sorted.
public func jsonText(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
}
