import DealModel
import Foundation

/// The program policy as a JSON file: every key optional (the defaults are the program's published terms),
/// unknown keys and wrong types refused with the key's dotted path. The format, with the defaults:
///
/// ```json
/// {
///   "version": "builtin",
///   "matching": { "conflict_threshold": 0.95, "review_threshold": 0.20 },
///   "protection": { "days": 90, "days_by_tier": { "gold": 120 }, "extension_days": 90 },
///   "review": { "sla_business_days": 2 },
///   "partner_managed": { "incumbency_days": 365 },
///   "reregistration_cooldown_days": 30,
///   "quotas": { "registrations_per_week": 0, "by_principal": { "acme": 500 } },
///   "limits": { "requests_per_second": 100, "burst": 500 },
///   "holidays": { "FR": { "add": ["2027-05-07"], "remove": [] } },
///   "catalog": {
///     "lines": [
///       { "id": "storage", "name": "Storage" },
///       { "id": "storage/arrays", "name": "Storage arrays", "aliases": ["san", "nas", "disk arrays"] },
///       { "id": "storage/backup", "name": "Backup and recovery", "aliases": ["backup"] }
///     ]
///   },
///   "enforcement": {
///     "auto_confirm": ["DIRECT_BYPASS", "POACHING"],
///     "auto_confirm_evidence": ["equal_domain_and_name", "equal_tax_id", "name_and_address"],
///     "squatting": { "minimum_closed": 5, "expired_share": 0.5, "times_norm": 2.0 },
///     "ladder": {
///       "partner": ["WARNING", "BENEFITS_LOST", "SUSPENSION", "EXPULSION"],
///       "distributor": ["WARNING", "BENEFITS_LOST", "SUSPENSION", "EXPULSION"],
///       "seller": ["COMMISSION_WITHHELD", "TERMINATION_REVIEW"]
///     }
///   }
/// }
/// ```
///
/// `enforcement.auto_confirm` lists the violation types confirmed at detection, with no officer; those that rest on
/// a match of customers (`DIRECT_BYPASS`, `POACHING`, `LATE_REGISTRATION`) only on conclusive evidence of a kind
/// `enforcement.auto_confirm_evidence` lists, and `CUSTOMER_SWITCH` never (`ProgramPolicy.autoConfirmation(of:)`).
/// An empty evidence list leaves every matched violation to an officer.
///
/// `enforcement.ladder` gives a kind's sanctions ladder, lightest first: its nth standing case brings the nth level,
/// the last repeating. A kind left out keeps its default; a ladder may not be empty, and holds only levels that
/// apply to its kind (warnings for anyone; loss of benefits, suspension and expulsion for the channel; commission
/// withheld and termination review for sellers).
///
/// `catalog.lines` replaces the vendor's default catalog (`ProductCatalog.standard`) as a whole: each line an `id`
/// (lower-case segments of letters, digits and hyphens joined by `/`; the parent, the id before its last `/`, must be
/// a line too), a display `name` (defaults to the id) and `aliases`. Names and aliases resolve to their line, ignoring
/// case and treating spaces, hyphens and underscores alike; no spelling may mean two lines, and no line be listed
/// twice. A registration or booking naming a line the catalog does not know is refused (INVALID_FIELD).
///
/// The running version is the file's `version` plus a digest of its bytes, so two different files never share one.
public enum PolicyFile {
    /// A policy file that cannot be used: the key at fault (dotted path) and why.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var key: String
        public var reason: String

        public var description: String { key.isEmpty ? reason : "\(key): \(reason)" }
    }

    public static func load(_ file: URL) throws(Problem) -> ProgramPolicy {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw Problem(key: "", reason: "cannot read \(file.path): \(error.localizedDescription)")
        }
        return try parse(data)
    }

    public static func parse(_ data: Data) throws(Problem) -> ProgramPolicy {
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw Problem(key: "", reason: "the policy must be a JSON object")
            }
            root = object
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(key: "", reason: "not valid JSON (\(error.localizedDescription))")
        }
        var reader = Reader(path: "", object: root)
        var policy = ProgramPolicy()
        let label = try reader.string("version") ?? "unversioned"
        // 55 at most: the running version appends "+" and 8 hex digits, and must read back as a label itself.
        guard !label.isEmpty, label.count <= 55 else { throw Problem(key: "version", reason: "1 to 55 characters") }
        policy.version = "\(label)+\(digest(data))"
        if var matching = try reader.object("matching") {
            policy.conflictThreshold =
                try matching.number("conflict_threshold", in: 0.5...1) ?? policy.conflictThreshold
            policy.reviewThreshold = try matching.number("review_threshold", in: 0.01...1) ?? policy.reviewThreshold
            try matching.finish()
            guard policy.reviewThreshold < policy.conflictThreshold else {
                throw Problem(key: "matching.review_threshold", reason: "must be below matching.conflict_threshold")
            }
        }
        if var protection = try reader.object("protection") {
            policy.protectionDays = try protection.integer("days", in: 1...730) ?? policy.protectionDays
            policy.extensionDays = try protection.integer("extension_days", in: 0...730) ?? policy.extensionDays
            if var tiers = try protection.object("days_by_tier") {
                for tier in tiers.keys { policy.protectionDaysByTier[tier] = try tiers.integer(tier, in: 1...730) }
            }
            try protection.finish()
        }
        if var review = try reader.object("review") {
            policy.reviewSLABusinessDays =
                try review.integer("sla_business_days", in: 0...60) ?? policy.reviewSLABusinessDays
            try review.finish()
        }
        if var managed = try reader.object("partner_managed") {
            policy.incumbencyDays = try managed.integer("incumbency_days", in: 0...3650) ?? policy.incumbencyDays
            try managed.finish()
        }
        policy.reregistrationCooldownDays =
            try reader.integer("reregistration_cooldown_days", in: 0...365) ?? policy.reregistrationCooldownDays
        if var quotas = try reader.object("quotas") {
            policy.registrationsPerWeek =
                try quotas.integer("registrations_per_week", in: 0...1_000_000) ?? policy.registrationsPerWeek
            if var principals = try quotas.object("by_principal") {
                for principal in principals.keys {
                    guard PartyID(principal).isWellFormed else {
                        throw Problem(key: "quotas.by_principal.\(principal)", reason: "not a party id")
                    }
                    policy.registrationsPerWeekByPrincipal[principal] = try principals.integer(
                        principal, in: 0...1_000_000)
                }
            }
            try quotas.finish()
        }
        if var limits = try reader.object("limits") {
            policy.requestsPerSecond =
                try limits.number("requests_per_second", in: 1...1_000_000) ?? policy.requestsPerSecond
            policy.requestBurst = try limits.integer("burst", in: 1...10_000_000) ?? policy.requestBurst
            try limits.finish()
        }
        if var enforcement = try reader.object("enforcement") {
            if let types = try enforcement.strings("auto_confirm") {
                let known = ViolationType.allCases.map(\.rawValue)
                for (index, type) in types.enumerated() where !known.contains(type) {
                    throw Problem(
                        key: "enforcement.auto_confirm[\(index)]", reason: "'\(type)' is not a violation type")
                }
                policy.autoConfirmed = Set(types)
            }
            if let names = try enforcement.strings("auto_confirm_evidence") {
                var evidence: Set<ConclusiveEvidence> = []
                for (index, name) in names.enumerated() {
                    guard let known = ConclusiveEvidence(rawValue: name) else {
                        let all = ConclusiveEvidence.allCases.map(\.rawValue).joined(separator: ", ")
                        throw Problem(
                            key: "enforcement.auto_confirm_evidence[\(index)]",
                            reason: "'\(name)' is not a kind of conclusive evidence (\(all))")
                    }
                    evidence.insert(known)
                }
                policy.autoConfirmEvidence = evidence
            }
            if var squatting = try enforcement.object("squatting") {
                policy.squattingMinimumClosed =
                    try squatting.integer("minimum_closed", in: 1...100_000) ?? policy.squattingMinimumClosed
                policy.squattingExpiredShare =
                    try squatting.number("expired_share", in: 0.01...1) ?? policy.squattingExpiredShare
                policy.squattingTimesNorm =
                    try squatting.number("times_norm", in: 1...100) ?? policy.squattingTimesNorm
                try squatting.finish()
            }
            if var ladder = try enforcement.object("ladder") {
                try ladder.read(into: &policy.sanctionsLadder)
            }
            try enforcement.finish()
        }
        if var catalog = try reader.object("catalog") {
            policy.catalog = try catalog.catalog()
            try catalog.finish()
        }
        if var holidays = try reader.object("holidays") {
            for country in holidays.keys {
                guard ISOCodes.isCountry(country) else {
                    throw Problem(key: "holidays.\(country)", reason: "not an ISO 3166-1 alpha-2 country code")
                }
                guard var days = try holidays.object(country) else { continue }
                policy.calendar.extraHolidays[country] = Set(try days.dates("add"))
                policy.calendar.removedHolidays[country] = Set(try days.dates("remove"))
                try days.finish()
            }
        }
        try reader.finish()
        return policy
    }

    /// The policy in the file format (what `dealreg policy show` prints; parsing it gives the same numbers).
    public static func json(_ policy: ProgramPolicy) -> String {
        var holidays: [String: Any] = [:]
        for country in Set(policy.calendar.extraHolidays.keys).union(policy.calendar.removedHolidays.keys) {
            holidays[country] = [
                "add": (policy.calendar.extraHolidays[country] ?? []).sorted().map(\.description),
                "remove": (policy.calendar.removedHolidays[country] ?? []).sorted().map(\.description),
            ]
        }
        let object: [String: Any] = [
            "version": policy.version,
            "matching": [
                "conflict_threshold": policy.conflictThreshold, "review_threshold": policy.reviewThreshold,
            ],
            "protection": [
                "days": policy.protectionDays, "days_by_tier": policy.protectionDaysByTier,
                "extension_days": policy.extensionDays,
            ],
            "review": ["sla_business_days": policy.reviewSLABusinessDays],
            "partner_managed": ["incumbency_days": policy.incumbencyDays],
            "reregistration_cooldown_days": policy.reregistrationCooldownDays,
            "quotas": [
                "registrations_per_week": policy.registrationsPerWeek,
                "by_principal": policy.registrationsPerWeekByPrincipal,
            ],
            "limits": ["requests_per_second": policy.requestsPerSecond, "burst": policy.requestBurst],
            "holidays": holidays,
            "catalog": [
                "lines": policy.catalog.lines.map { line -> [String: Any] in
                    ["id": line.id, "name": line.name, "aliases": line.aliases]
                }
            ],
            "enforcement": [
                "auto_confirm": policy.autoConfirmed.sorted(),
                "auto_confirm_evidence": policy.autoConfirmEvidence.sorted().map(\.rawValue),
                "squatting": [
                    "minimum_closed": policy.squattingMinimumClosed, "expired_share": policy.squattingExpiredShare,
                    "times_norm": policy.squattingTimesNorm,
                ],
                "ladder": Dictionary(
                    uniqueKeysWithValues: policy.sanctionsLadder.levels.map {
                        ($0.key.rawValue, $0.value.map(\.rawValue))
                    }),
            ],
        ]
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// First 8 hex digits of FNV-1a over the file's bytes.
    private static func digest(_ data: Data) -> String {
        let text = String(FNV1a.hash(data) >> 32, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }

    /// Reads the keys of one JSON object, remembering which it consumed so `finish` can refuse the rest.
    private struct Reader {
        let path: String
        let object: [String: Any]
        var consumed: Set<String> = []

        init(path: String, object: [String: Any]) {
            self.path = path
            self.object = object
        }

        var keys: [String] { object.keys.sorted() }

        private func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

        private mutating func value(_ name: String) -> Any? {
            consumed.insert(name)
            guard let value = object[name], !(value is NSNull) else { return nil }
            return value
        }

        mutating func string(_ name: String) throws(Problem) -> String? {
            guard let value = value(name) else { return nil }
            guard let text = value as? String else { throw Problem(key: key(name), reason: "must be a string") }
            return text
        }

        mutating func number(_ name: String, in range: ClosedRange<Double>) throws(Problem) -> Double? {
            guard let value = value(name) else { return nil }
            guard let number = Self.number(value) else {
                throw Problem(key: key(name), reason: "must be a number")
            }
            guard range.contains(number.doubleValue) else {
                throw Problem(key: key(name), reason: "must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return number.doubleValue
        }

        mutating func integer(_ name: String, in range: ClosedRange<Int>) throws(Problem) -> Int? {
            guard let value = value(name) else { return nil }
            guard let number = Self.number(value),
                number.doubleValue == number.doubleValue.rounded()
            else { throw Problem(key: key(name), reason: "must be a whole number") }
            guard range.contains(number.intValue) else {
                throw Problem(key: key(name), reason: "must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return number.intValue
        }

        mutating func object(_ name: String) throws(Problem) -> Reader? {
            guard let value = value(name) else { return nil }
            guard let object = value as? [String: Any] else {
                throw Problem(key: key(name), reason: "must be an object")
            }
            return Reader(path: key(name), object: object)
        }

        mutating func strings(_ name: String) throws(Problem) -> [String]? {
            guard let value = value(name) else { return nil }
            guard let items = value as? [Any], items.allSatisfy({ $0 is String }) else {
                throw Problem(key: key(name), reason: "must be a list of strings")
            }
            return items.compactMap { $0 as? String }
        }

        mutating func dates(_ name: String) throws(Problem) -> [CalendarDate] {
            guard let value = value(name) else { return [] }
            guard let items = value as? [Any] else {
                throw Problem(key: key(name), reason: "must be a list of YYYY-MM-DD dates")
            }
            return try items.enumerated().map { (index, item) throws(Problem) in
                guard let text = item as? String, let date = CalendarDate(iso: text) else {
                    throw Problem(key: "\(key(name))[\(index)]", reason: "must be a YYYY-MM-DD date")
                }
                return date
            }
        }

        /// Reads this object as the product catalog: `lines`, a list of `{id, name, aliases}` (name defaults to
        /// the id); a catalog that cannot be used is refused at the line and field at fault.
        mutating func catalog() throws(Problem) -> ProductCatalog {
            guard let value = value("lines") else { throw Problem(key: key("lines"), reason: "required") }
            guard let items = value as? [Any] else {
                throw Problem(key: key("lines"), reason: "must be a list of {id, name, aliases}")
            }
            var lines: [ProductCatalog.Line] = []
            for (index, item) in items.enumerated() {
                let path = "\(key("lines"))[\(index)]"
                guard let object = item as? [String: Any] else {
                    throw Problem(key: path, reason: "must be an object {id, name, aliases}")
                }
                var line = Reader(path: path, object: object)
                guard let id = try line.string("id") else { throw Problem(key: "\(path).id", reason: "required") }
                lines.append(
                    ProductCatalog.Line(
                        id, name: try line.string("name") ?? id, aliases: try line.strings("aliases") ?? []))
                try line.finish()
            }
            do {
                return try ProductCatalog(lines: lines)
            } catch {
                guard let index = error.line else { throw Problem(key: key("lines"), reason: error.reason) }
                throw Problem(key: "\(key("lines"))[\(index)].\(error.field)", reason: error.reason)
            }
        }

        /// A JSON number (not a boolean, which Foundation also hands over as an `NSNumber`).
        private static func number(_ value: Any) -> NSNumber? {
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
            return number
        }

        /// Reads this object as sanctions ladders keyed by party kind, each a list of level names.
        mutating func read(into ladder: inout SanctionLadder) throws(Problem) {
            for name in keys {
                guard let kind = PartyKind(rawValue: name) else {
                    throw Problem(key: key(name), reason: "'\(name)' is not a party kind")
                }
                let names = try strings(name) ?? []
                var levels: [SanctionLevel] = []
                for (index, level) in names.enumerated() {
                    guard let known = SanctionLevel(rawValue: level) else {
                        let all = SanctionLevel.allCases.map(\.rawValue).joined(separator: ", ")
                        throw Problem(
                            key: "\(key(name))[\(index)]", reason: "'\(level)' is not a sanction level (\(all))")
                    }
                    levels.append(known)
                }
                do {
                    try ladder.replace(kind, with: levels)
                } catch {
                    switch error {
                    case .notSanctionable:
                        throw Problem(key: key(name), reason: "a \(kind.label) has no sanctions ladder")
                    case .empty:
                        throw Problem(key: key(name), reason: "a ladder needs at least one level")
                    case .notApplicable(let index, let level):
                        throw Problem(
                            key: "\(key(name))[\(index)]",
                            reason: "\(level.rawValue) does not apply to a \(kind.label)")
                    }
                }
            }
        }

        func finish() throws(Problem) {
            if let unknown = keys.first(where: { !consumed.contains($0) }) {
                throw Problem(key: key(unknown), reason: "unknown key")
            }
        }
    }
}
