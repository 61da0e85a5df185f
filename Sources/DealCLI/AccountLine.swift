import DealBus
import DealModel
import DealWire
import Foundation

/// An account as the CLI prints it (`--json`: one object per line): the account itself, with its counts in a
/// listing, and its registrations, protections and doubts when shown. A value.
struct AccountLine: Codable {
    /// One way a registrant spelled the customer.
    struct SpellingLine: Codable {
        var legal_name: String
        var street: String?
        var postal_code: String?
        var city: String?
        var region: String?
        var country: String
        var web_domain: String?
        var tax_id: String?

        init(_ customer: Customer) {
            func given(_ text: String) -> String? { text.isEmpty ? nil : text }
            legal_name = customer.legalName
            street = given(customer.street)
            postal_code = given(customer.postalCode)
            city = given(customer.city)
            region = given(customer.region)
            country = customer.country
            web_domain = given(customer.webDomain)
            tax_id = given(customer.taxID)
        }

        /// `Acme GmbH, Hauptstr. 1, 10115 Berlin, DE, acme.de, tax id DE123456789`: the parts it has.
        var text: String {
            let place = [postal_code, city].compactMap { $0 }.joined(separator: " ")
            return [
                legal_name, street, place.isEmpty ? nil : place, region, country, web_domain,
                tax_id.map { "tax id \($0)" },
            ]
            .compactMap { $0 }.joined(separator: ", ")
        }
    }

    /// An active exclusive protection of one product line.
    struct ProtectionLine: Codable {
        var product_line: String
        var registration_id: String
        var holder: String
        var holder_kind: String
        var status: String

        var text: String { "\(product_line) → \(registration_id)  \(holder) (\(holder_kind))  \(status)" }
    }

    /// One of its registrations, in short.
    struct RegistrationEntry: Codable {
        var registration_id: String
        var holder: String
        var status: String
        var product_lines: [String]
        var protected_until: String?

        init(_ registration: Registration) {
            registration_id = registration.id.rawValue
            holder = registration.holder.rawValue
            status = registration.status.rawValue
            product_lines = registration.request.productLines
            protected_until =
                registration.status == .approved ? registration.decision.protectedUntil?.description : nil
        }

        var text: String {
            "\(registration_id)  \(status)  holder \(holder)  \(product_lines.joined(separator: ","))"
                + (protected_until.map { "  protected until \($0)" } ?? "")
        }
    }

    /// Two accounts that may be one customer: `registration_id`, of `account_id`, matched `other_account_id`.
    struct DoubtLine: Codable {
        var account_id: String
        var other_account_id: String
        var score: Double
        var registration_id: String
        var reasons: [String]

        /// `AC-00000002  score 0.87  (DR-00000009 matched: name 0.91, city equal)`, naming the account that is
        /// not `shown`.
        func text(besides shown: String) -> String {
            "\(account_id == shown ? other_account_id : account_id)  score \(MatchReason.format(score))  "
                + "(\(registration_id) matched: " + reasons.joined(separator: ", ") + ")"
        }
    }

    var account_id: String
    var state: String
    var merged_into: String?
    var name: String
    var spellings: [SpellingLine]
    var changed_by: String?
    var changed_at: String?
    var reason: String?
    var registration_count: Int?
    var active_protections: Int?
    var doubt_count: Int?
    var managed_by: String?
    var managed_by_registration_id: String?
    var protections: [ProtectionLine]?
    var registrations: [RegistrationEntry]?
    var doubts: [DoubtLine]?

    init(_ account: Account) {
        account_id = account.id.rawValue
        state = account.mergedInto == nil ? "open" : "merged"
        merged_into = account.mergedInto?.rawValue
        name = account.displayName
        spellings = account.spellings.map(SpellingLine.init)
        changed_by = account.actor?.rawValue
        changed_at =
            account.changedAt == 0
            ? nil : Date(timeIntervalSince1970: TimeInterval(account.changedAt)).ISO8601Format()
        reason = account.reason.isEmpty ? nil : account.reason
    }

    /// The account of a reply; a reply without one (or with an unreadable one) is a bad reply.
    init(_ wire: Dealreg_V1_Account) throws(ClientError) {
        guard let account = Account(wire: wire) else { throw .badReply("expected an account") }
        self.init(account)
    }

    /// A listing's entry; nil when its account is unreadable.
    init?(_ summary: Dealreg_V1_AccountSummary) {
        guard let account = Account(wire: summary.account) else { return nil }
        self.init(account)
        registration_count = Int(summary.registrationCount)
        active_protections = Int(summary.activeProtections)
        doubt_count = Int(summary.doubts)
    }

    /// What `ShowAccount` answered.
    init(_ reply: Dealreg_V1_ShowAccountReply) throws(ClientError) {
        try self.init(reply.account)
        registration_count = Int(reply.registrationCount)
        managed_by = reply.managedBy.isEmpty ? nil : reply.managedBy
        managed_by_registration_id = reply.managedByRegistrationID.isEmpty ? nil : reply.managedByRegistrationID
        protections = reply.protections.map {
            ProtectionLine(
                product_line: $0.productLine, registration_id: $0.registrationID, holder: $0.holder,
                holder_kind: PartyKind(wire: $0.holderKind)?.rawValue ?? "?",
                status: RegistrationStatus(wire: $0.status)?.rawValue ?? "?")
        }
        registrations = reply.registrations.compactMap(Registration.init(wire:)).map(RegistrationEntry.init)
        doubts = reply.doubts.map {
            DoubtLine(
                account_id: $0.accountID, other_account_id: $0.otherAccountID,
                score: ($0.score * 1000).rounded() / 1000,
                registration_id: $0.registrationID, reasons: $0.reasons.map { MatchReason(wire: $0).description })
        }
    }

    /// `AC-00000001  open  Acme GmbH (DE)`, with the counts a listing has.
    var summary: String {
        let country = spellings.first.map { " (\($0.country))" } ?? ""
        var line = "\(account_id)  " + (merged_into.map { "merged into \($0)" } ?? state) + "  \(name)\(country)"
        if let registration_count { line += "  \(Self.count(registration_count, "registration"))" }
        if let active_protections { line += "  \(Self.count(active_protections, "protection"))" }
        if let doubt_count, doubt_count > 0 { line += "  \(Self.count(doubt_count, "doubt"))" }
        return line
    }

    /// The summary, then the spellings and whatever else the account came with, one group after another.
    var text: String {
        var lines = [summary]
        if !spellings.isEmpty { lines.append("  spellings:") }
        lines += spellings.map { "    " + $0.text }
        if let managed_by {
            lines.append(
                "  partner-managed by \(managed_by)" + (managed_by_registration_id.map { " (won as \($0))" } ?? ""))
        }
        if let protections {
            lines.append(protections.isEmpty ? "  no active protections" : "  active protections:")
            lines += protections.map { "    " + $0.text }
        }
        if let registrations, let registration_count, registration_count > 0 {
            lines.append(
                "  registrations:"
                    + (registrations.count < registration_count
                        ? " the newest \(registrations.count) of \(registration_count)" : ""))
            lines += registrations.map { "    " + $0.text }
        }
        if let doubts, !doubts.isEmpty {
            lines.append("  may be the same customer as:")
            lines += doubts.map { "    " + $0.text(besides: account_id) }
        }
        if let changed_by {
            lines.append(
                "  last merged or split by \(changed_by)" + (changed_at.map { " at \($0)" } ?? "")
                    + (reason.map { ": \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
