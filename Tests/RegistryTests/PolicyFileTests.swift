import DealBus
import DealModel
import Foundation
import Testing

@Suite("PolicyFile")
struct PolicyFileTests {
    static func parse(_ text: String) throws(PolicyFile.Problem) -> ProgramPolicy {
        try PolicyFile.parse(Data(text.utf8))
    }

    @Test func readsEveryKey() throws {
        let policy = try Self.parse(
            """
            {
              "version": "2027-q1",
              "matching": { "conflict_threshold": 0.93, "review_threshold": 0.3 },
              "protection": { "days": 60, "days_by_tier": { "gold": 120 }, "extension_days": 30 },
              "review": { "sla_business_days": 3 },
              "partner_managed": { "incumbency_days": 180 },
              "reregistration_cooldown_days": 14,
              "quotas": { "registrations_per_week": 50, "by_principal": { "acme": 5 } },
              "holidays": { "FR": { "add": ["2027-05-07"], "remove": ["2027-05-08"] } },
              "enforcement": {
                "auto_confirm": ["DIRECT_BYPASS"], "auto_confirm_evidence": ["name_and_address"],
                "squatting": { "minimum_closed": 8, "expired_share": 0.6, "times_norm": 3 }
              }
            }
            """)
        #expect(policy.version.hasPrefix("2027-q1+"))
        #expect(policy.conflictThreshold == 0.93 && policy.reviewThreshold == 0.3)
        #expect(policy.protectionDays == 60 && policy.protectionDays(tier: "gold") == 120)
        #expect(policy.extensionDays == 30 && policy.reviewSLABusinessDays == 3 && policy.incumbencyDays == 180)
        #expect(policy.reregistrationCooldownDays == 14)
        #expect(policy.weeklyQuota(for: PartyID("acme")) == 5 && policy.weeklyQuota(for: PartyID("other")) == 50)
        #expect(policy.calendar.isHoliday(CalendarDate(iso: "2027-05-07")!, in: "FR"))
        #expect(policy.autoConfirmed == ["DIRECT_BYPASS"] && policy.autoConfirmEvidence == [.nameAndAddress])
        #expect(
            policy.squattingMinimumClosed == 8 && policy.squattingExpiredShare == 0.6 && policy.squattingTimesNorm == 3)
        #expect(!policy.calendar.isHoliday(CalendarDate(iso: "2027-05-08")!, in: "FR"))
    }

    @Test func anEmptyObjectIsTheBuiltInTerms() throws {
        let policy = try Self.parse("{}")
        var defaults = ProgramPolicy()
        defaults.version = policy.version
        #expect(policy == defaults)
        #expect(policy.weeklyQuota(for: PartyID("acme")) == nil)
    }

    @Test(arguments: [
        (#"{"protection": {"days": "ninety"}}"#, "protection.days"),
        (#"{"protection": {"dayz": 90}}"#, "protection.dayz"),
        (#"{"matching": {"conflict_threshold": 1.5}}"#, "matching.conflict_threshold"),
        (#"{"matching": {"conflict_threshold": 0.6, "review_threshold": 0.7}}"#, "matching.review_threshold"),
        (#"{"review": {"sla_business_days": 2.5}}"#, "review.sla_business_days"),
        (#"{"holidays": {"XX": {"add": []}}}"#, "holidays.XX"),
        (#"{"holidays": {"FR": {"add": ["2027-02-30"]}}}"#, "holidays.FR.add[0]"),
        (#"{"quotas": {"by_principal": {"Not A Party": 3}}}"#, "quotas.by_principal.Not A Party"),
        (#"{"quotas": {"registrations_per_week": true}}"#, "quotas.registrations_per_week"),
        (#"{"versio": "x"}"#, "versio"),
        (#"{"enforcement": {"auto_confirm": ["BYPASS"]}}"#, "enforcement.auto_confirm[0]"),
        (
            #"{"enforcement": {"auto_confirm_evidence": ["name_and_address", "same_city"]}}"#,
            "enforcement.auto_confirm_evidence[1]"
        ),
        (#"{"enforcement": {"auto_confirm_evidence": ["EQUAL_TAX_ID"]}}"#, "enforcement.auto_confirm_evidence[0]"),
        (#"{"enforcement": {"auto_confirm_evidence": "equal_tax_id"}}"#, "enforcement.auto_confirm_evidence"),
        // Found by the policy fuzz target: a 56-character label printed with its "+digest" would not read back.
        (#"{"version": "\#(String(repeating: "v", count: 56))"}"#, "version"),
        (#"{"limits": {"requests_per_second": 0}}"#, "limits.requests_per_second"),
        (#"[1, 2]"#, ""),
        (#"{"protection": "#, ""),
    ])
    func refusesABadFileNamingTheKey(text: String, key: String) {
        #expect {
            _ = try Self.parse(text)
        } throws: { error in
            (error as? PolicyFile.Problem)?.key == key
        }
    }

    @Test func readsTheConclusiveEvidenceAutoConfirmationRestsOnAndShowsIt() throws {
        #expect(ProgramPolicy().autoConfirmEvidence == [.equalTaxID, .equalDomainAndName, .nameAndAddress])
        let policy = try Self.parse(#"{"enforcement": {"auto_confirm_evidence": ["equal_tax_id"]}}"#)
        #expect(policy.autoConfirmEvidence == [.equalTaxID])
        #expect(try Self.parse(#"{"enforcement": {"auto_confirm_evidence": []}}"#).autoConfirmEvidence.isEmpty)
        let shown = PolicyFile.json(policy)
        #expect(shown.contains(#""auto_confirm_evidence" : ["#), "\(shown)")
        var again = try PolicyFile.parse(Data(shown.utf8))
        again.version = policy.version
        #expect(again == policy)
        let problem = #"{"enforcement": {"auto_confirm_evidence": ["same_city"]}}"#
        #expect {
            _ = try Self.parse(problem)
        } throws: { error in
            (error as? PolicyFile.Problem)?.description
                == "enforcement.auto_confirm_evidence[0]: 'same_city' is not a kind of conclusive evidence "
                + "(equal_tax_id, equal_domain_and_name, name_and_address)"
        }
    }

    @Test func twoDifferentFilesNeverShareAVersionAndShowRoundTrips() throws {
        let first = try Self.parse(#"{"version": "v1", "protection": {"days": 60}}"#)
        let second = try Self.parse(#"{"version": "v1", "protection": {"days": 61}}"#)
        #expect(first.version != second.version)
        var again = try PolicyFile.parse(Data(PolicyFile.json(first).utf8))
        again.version = first.version
        #expect(again == first)
    }
}

extension PolicyFileTests {
    @Test func readsTheCatalogAndShowsIt() throws {
        let policy = try Self.parse(
            """
            {"catalog": {"lines": [
              {"id": "widgets", "name": "Widgets", "aliases": ["gadgets"]},
              {"id": "widgets/blue"},
              {"id": "services", "name": "Services"}
            ]}}
            """)
        #expect(policy.catalog.lines.map(\.id) == ["widgets", "widgets/blue", "services"])
        #expect(policy.catalog.id(of: "Gadgets") == "widgets" && policy.catalog.id(of: "storage") == nil)
        #expect(policy.catalog.lines[1].name == "widgets/blue", "the name defaults to the id")
        #expect(policy.catalog.overlaps("widgets", "widgets/blue"))
        let shown = try PolicyFile.parse(Data(PolicyFile.json(policy).utf8))
        #expect(shown.catalog == policy.catalog)
        #expect(try Self.parse("{}").catalog == .standard, "a file without a catalog runs the vendor's default")
        #expect(try PolicyFile.parse(Data(PolicyFile.json(ProgramPolicy()).utf8)).catalog == .standard)
    }

    @Test(arguments: [
        (#"{"catalog": {}}"#, "catalog.lines"),
        (#"{"catalog": {"lines": []}}"#, "catalog.lines"),
        (#"{"catalog": {"lines": "storage"}}"#, "catalog.lines"),
        (#"{"catalog": {"lines": ["storage"]}}"#, "catalog.lines[0]"),
        (#"{"catalog": {"lines": [{"name": "Storage"}]}}"#, "catalog.lines[0].id"),
        (#"{"catalog": {"lines": [{"id": ""}]}}"#, "catalog.lines[0].id"),
        (#"{"catalog": {"lines": [{"id": "storage", "alias": ["san"]}]}}"#, "catalog.lines[0].alias"),
        (#"{"catalog": {"lines": [{"id": "storage"}, {"id": "storage"}]}}"#, "catalog.lines[1].id"),
        (#"{"catalog": {"lines": [{"id": "storage/arrays"}]}}"#, "catalog.lines[0].id"),
        (
            #"{"catalog": {"lines": [{"id": "storage"}, {"id": "servers", "aliases": ["storage"]}]}}"#,
            "catalog.lines[1].aliases[0]"
        ),
        (
            #"{"catalog": {"lines": [{"id": "a", "aliases": ["x"]}, {"id": "b", "aliases": ["X"]}]}}"#,
            "catalog.lines[1].aliases[0]"
        ),
        (#"{"catalog": {"lines": [{"id": "storage", "aliases": "san"}]}}"#, "catalog.lines[0].aliases"),
        (#"{"catalog": {"lines": [{"id": "storage"}], "default": "storage"}}"#, "catalog.default"),
    ])
    func refusesABadCatalogNamingTheKey(text: String, key: String) {
        #expect {
            _ = try Self.parse(text)
        } throws: { error in
            (error as? PolicyFile.Problem)?.key == key
        }
    }
}
