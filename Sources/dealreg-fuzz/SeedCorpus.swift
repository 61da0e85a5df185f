import DealBus
import DealModel
import DealWire
import Foundation
import SwiftProtobuf
import ZeroMQ

/// The seed corpus, made from the generated protobuf types so it follows the contract: a valid request of every
/// body type (and a few refused ones), events and work messages, policy files, CSV files. Deterministic: the
/// same bytes on every run. Registry and enforcement seeds start with their principal's byte.
enum SeedCorpus {
    /// The customers the harness registers before the first input (DR-00000001 to DR-00000004).
    static let customers = [
        Customer(
            legalName: "Brasserie du Port SARL", street: "12 quai du Port", city: "Marseille", postalCode: "13002",
            country: "FR", webDomain: "brasserie-du-port.fr", taxID: "FR 40 303 265 045"),
        Customer(
            legalName: "Kastell Versicherung AG", street: "Marienplatz 8", city: "München", postalCode: "80331",
            country: "DE", webDomain: "kastell.de", taxID: "DE123456789"),
        Customer(
            legalName: "Nordlicht Logistik GmbH", street: "Hafenstraße 3", city: "Hamburg", postalCode: "20095",
            country: "DE"),
        Customer(
            legalName: "Helios Energia S.p.A.", street: "Via Dante 4", city: "Milano", postalCode: "20121",
            region: "MI", country: "IT", webDomain: "https://www.helios-energia.it/"),
    ]
    static let newCustomer = Customer(
        legalName: "Atelier Lumière SAS", street: "3 rue des Arts", city: "Lyon", postalCode: "69002", country: "FR")

    /// Key pairs made from fixed secrets, so seeds that carry a public key are the same on every run.
    static let fixedKey = fixedKeyPair(7)
    static let otherFixedKey = fixedKeyPair(8)

    static func fixedKeyPair(_ byte: UInt8) -> CurveKeyPair {
        guard let secret = CurveKey(bytes: [UInt8](repeating: byte, count: 32)),
            let pair = try? CurveKeyPair(secretKey: secret)
        else { fatalError("libzmq cannot derive a CURVE public key") }
        return pair
    }

    static func registration(
        _ customer: Customer, lines: [String] = ["storage", "servers"], tender: Bool = false, onBehalfOf: String = ""
    ) -> Dealreg_V1_RegisterDealRequest {
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer = customer.wire
        request.productLines = lines
        request.amount = Money(minorUnits: 12_500_000, currency: "EUR").wire
        request.expectedClose = FuzzClock.closeDate.wire
        request.tender = tender
        if tender { request.tenderReference = "2026/S 045-123456" }
        request.onBehalfOf = onBehalfOf
        request.registrantReference = "CRM-4711"
        request.description_p = "Refresh of the data centre, phase 1"
        return request
    }

    static func booking(
        order: String, customer: Int, bookedBy: String, claimed: String = "", lines: [String] = ["storage"]
    ) -> Dealreg_V1_Booking {
        var booking = Dealreg_V1_Booking()
        booking.orderID = order
        booking.customer = customers[customer].wire
        booking.productLines = lines
        booking.amount = Money(minorUnits: 9_000_000, currency: "EUR").wire
        booking.bookedBy = bookedBy
        booking.claimedRegistrationID = claimed
        booking.bookedOn = FuzzClock.today.wire
        return booking
    }

    /// Requests to the registry's api: a name, who sends it, the body.
    static var registryRequests: [(name: String, caller: String, body: WireEnvelope.OneOf_Body)] {
        func transition(_ id: String, _ step: Dealreg_V1_Transition, _ reason: String) -> WireEnvelope.OneOf_Body {
            .transition(
                .with {
                    $0.registrationID = id
                    $0.transition = step
                    $0.reason = reason
                })
        }
        var invalid = registration(newCustomer)
        invalid.amount.currency = "EURO"
        return [
            ("register-deal", "acme", .registerDeal(registration(newCustomer))),
            ("register-deal-conflict", "bolt", .registerDeal(registration(customers[0]))),
            ("register-deal-on-behalf", "dist", .registerDeal(registration(newCustomer, onBehalfOf: "acme"))),
            ("register-deal-tender", "seller-1", .registerDeal(registration(customers[3], tender: true))),
            ("register-deal-invalid", "acme", .registerDeal(invalid)),
            ("get-registration", "acme", .getRegistration(.with { $0.registrationID = "DR-00000001" })),
            (
                "list-registrations", "cm",
                .listRegistrations(
                    .with {
                        $0.status = .approved
                        $0.customer = "brasserie"
                        $0.expiringWithinDays = 120
                        $0.limit = 10
                        $0.registrant = "acme"
                    })
            ),
            ("list-registrations-own", "acme", .listRegistrations(.with { $0.afterID = "DR-00000001" })),
            ("history", "acme", .history(.with { $0.registrationID = "DR-00000001" })),
            ("transition-approve", "cm", transition("DR-00000005", .approve, "checked with the customer")),
            ("transition-extend", "acme", transition("DR-00000001", .extend, "board meets in June")),
            ("transition-won", "bolt", transition("DR-00000002", .won, "signed")),
            ("transition-withdraw", "seller-1", transition("DR-00000004", .withdraw, "customer went elsewhere")),
            ("policy-show", "acme", .policy(.init())),
            ("policy-reload", "admin", .policy(.with { $0.reload = true })),
            (
                "add-party", "admin",
                .addParty(
                    .with {
                        $0.party =
                            Party(
                                id: PartyID("newco"), kind: .partner, name: "NewCo Partners", country: "DE",
                                publicKey: fixedKey.publicKey.z85
                            ).wire
                    })
            ),
            (
                "set-standing", "svc-enforce",
                .setStanding(
                    .with {
                        $0.partyID = "bolt"
                        $0.standing = .suspended
                        $0.reason = "case V-00000002"
                    })
            ),
            (
                "set-standing-active", "admin",
                .setStanding(
                    .with {
                        $0.partyID = "bolt"
                        $0.standing = .active
                        $0.reason = "case V-00000002 overturned"
                    })
            ),
            (
                "set-key", "admin",
                .setKey(
                    .with {
                        $0.partyID = "bolt"
                        $0.publicKey = otherFixedKey.publicKey.z85
                        $0.reason = "laptop lost"
                    })
            ),
            ("list-parties", "cm", .listParties(.init())),
            (
                "link-parties", "dist",
                .linkParties(
                    .with {
                        $0.distributor = "dist"
                        $0.reseller = "bolt"
                        $0.reason = "distribution agreement 2027"
                    })
            ),
            (
                "accept-link", "bolt",
                .acceptLink(
                    .with {
                        $0.distributor = "dist"
                        $0.reseller = "bolt"
                    })
            ),
            (
                "unlink-parties", "cm",
                .unlinkParties(
                    .with {
                        $0.distributor = "dist"
                        $0.reseller = "acme"
                        $0.reason = "agreement ended"
                    })
            ),
            ("show-account", "cm", .showAccount(.with { $0.accountID = "AC-00000001" })),
            (
                "list-accounts", "officer",
                .listAccounts(
                    .with {
                        $0.customer = "telekom"
                        $0.doubtfulOnly = true
                        $0.limit = 10
                    })
            ),
            (
                "merge-accounts", "cm",
                .mergeAccounts(
                    .with {
                        $0.accountID = "AC-00000001"
                        $0.mergedAccountID = "AC-00000002"
                        $0.reason = "one legal entity"
                    })
            ),
            (
                "split-account", "cm",
                .splitAccount(
                    .with {
                        $0.accountID = "AC-00000001"
                        $0.registrationIds = ["DR-00000001"]
                        $0.reason = "a sister company"
                    })
            ),
            ("list-access", "acme", .listAccess(.with { $0.registrationID = "DR-00000001" })),
            ("list-access-other", "bolt", .listAccess(.with { $0.registrationID = "DR-00000001" })),
            ("list-links", "admin", .listLinks(.with { $0.party = "acme" })),
            ("list-links-own", "acme", .listLinks(.init())),
            (
                "feed", "svc-erp",
                .feed(
                    .with {
                        $0.afterSeq = 0
                        $0.limit = 10
                    })
            ),
            ("feed-own", "acme", .feed(.init())),
            ("status", "acme", .status(.init())),
            ("status-reset", "admin", .status(.with { $0.resetLatency = true })),
            ("audit", "officer", .audit(.init())),
            ("sync-on-api", "admin", .sync(.with { $0.fromSeq = 1 })),
            ("reply-as-request", "acme", .statusReply(.init())),
        ]
    }

    /// Requests to enforcement's api.
    static var enforcementRequests: [(name: String, caller: String, body: WireEnvelope.OneOf_Body)] {
        func record(_ booking: Dealreg_V1_Booking) -> WireEnvelope.OneOf_Body {
            .recordBooking(.with { $0.booking = booking })
        }
        func step(_ id: String, _ action: Dealreg_V1_CaseAction, _ reason: String) -> WireEnvelope.OneOf_Body {
            .caseRequest(
                .with {
                    $0.caseID = id
                    $0.action = action
                    $0.reason = reason
                })
        }
        return [
            ("booking-bypass", "svc-erp", record(booking(order: "ERP-1", customer: 0, bookedBy: "seller-1"))),
            ("booking-poaching", "svc-erp", record(booking(order: "ERP-2", customer: 0, bookedBy: "bolt"))),
            (
                "booking-claimed", "officer",
                record(booking(order: "ERP-3", customer: 1, bookedBy: "acme", claimed: "DR-00000001"))
            ),
            (
                "booking-own", "admin",
                record(booking(order: "ERP-4", customer: 0, bookedBy: "acme", claimed: "DR-00000001"))
            ),
            ("booking-unregistered", "svc-erp", record(booking(order: "ERP-5", customer: 2, bookedBy: "seller-1"))),
            (
                "list-violations", "officer",
                .listViolations(
                    .with {
                        $0.afterID = "V-00000001"
                        $0.limit = 5
                    })
            ),
            ("list-violations-own", "bolt", .listViolations(.init())),
            ("case-show", "bolt", step("V-00000002", .unspecified, "")),
            ("case-appeal", "bolt", step("V-00000002", .appeal, "the customer asked us")),
            ("case-confirm", "officer", step("V-00000001", .confirm, "clear bypass")),
            ("case-dismiss", "officer", step("V-00000001", .dismiss, "booked in error")),
            ("case-uphold", "officer", step("V-00000002", .uphold, "the evidence stands")),
            ("case-overturn", "admin", step("V-00000002", .overturn, "the registration had lapsed")),
            ("list-cases", "cm", .listCases(.with { $0.state = .open })),
            (
                "list-cases-own", "seller-1",
                .listCases(
                    .with {
                        $0.afterID = "V-00000001"
                        $0.limit = 3
                    })
            ),
            ("list-sanctions", "officer", .listSanctions(.init())),
            ("list-sanctions-own", "bolt", .listSanctions(.with { $0.party = "bolt" })),
            (
                "lift-sanction", "officer",
                .liftSanction(
                    .with {
                        $0.sanctionID = "S-00000001"
                        $0.reason = "settled"
                    })
            ),
            ("list-escalations", "cm", .listEscalations(.init())),
            ("audit", "officer", .audit(.init())),
            ("status", "svc-erp", .status(.init())),
            ("register-on-enforcement", "acme", .registerDeal(registration(newCustomer))),
        ]
    }

    static var registrationWire: Dealreg_V1_Registration {
        var wire = Dealreg_V1_Registration()
        wire.id = "DR-00000001"
        wire.registrant = "acme"
        wire.holder = "acme"
        wire.holderKind = .partner
        wire.request = registration(customers[0])
        wire.status = .approved
        wire.decision = .with {
            $0.registrationID = "DR-00000001"
            $0.outcome = .approved
            $0.protectedUntil = FuzzClock.today.adding(days: 90).wire
            $0.explanation = "No other registration holds this customer."
            $0.decidedAt = FuzzClock.start
            $0.policyVersion = "builtin"
            $0.matches = [
                .with {
                    $0.registrationID = "DR-00000007"
                    $0.score = 0.42
                    $0.holderKind = .distributor
                    $0.overlappingProductLines = ["storage"]
                    $0.reasons = [
                        .with {
                            $0.field = "name"
                            $0.similarity = 0.87
                            $0.detail = "brasserie port"
                        }
                    ]
                }
            ]
        }
        return wire
    }

    static var events: [WireEvent] {
        var registered = WireEvent()
        registered.seq = 1
        registered.time = FuzzClock.start
        registered.registration = registrationWire
        registered.history = .with {
            $0.time = FuzzClock.start
            $0.actor = "acme"
            $0.action = "registered"
            $0.status = .approved
            $0.reason = "No other registration holds this customer."
            $0.policyVersion = "builtin"
        }
        var party = WireEvent()
        party.seq = 2
        party.time = FuzzClock.start + 60
        party.party =
            Party(
                id: PartyID("bolt"), kind: .partner, name: "Bolt Resellers", country: "FR", tier: "gold",
                publicKey: fixedKey.publicKey.z85, standing: .suspended
            ).wire
        var link = WireEvent()
        link.seq = 3
        link.time = FuzzClock.start + 120
        link.link =
            PartyLink(
                pair: PartyLink.Pair(distributor: PartyID("dist"), reseller: PartyID("acme")), state: .active,
                proposedBy: PartyID("dist"), proposedAt: FuzzClock.start + 60, acceptedBy: PartyID("acme"),
                acceptedAt: FuzzClock.start + 120, reason: "distribution agreement 2027"
            ).wire
        return [registered, party, link]
    }

    static var violation: WireViolation {
        var violation = WireViolation()
        violation.id = "V-00000001"
        violation.type = .directBypass
        violation.party = "seller-1"
        violation.orderID = "ERP-1"
        violation.registrationID = "DR-00000001"
        violation.score = 0.97
        violation.reasons = [
            .with {
                $0.field = "postal_code"
                $0.similarity = 1
            }
        ]
        violation.explanation = "An internal seller booked a partner's protected customer."
        violation.detectedAt = FuzzClock.start
        return violation
    }

    /// Events, replies carrying events, work messages and enforcement's published records.
    static var eventSeeds: [(String, [UInt8])] {
        let events = Self.events
        func work(_ build: (inout WireWorkMessage) -> Void) -> [UInt8] {
            var message = WireWorkMessage()
            build(&message)
            return bytes(message)
        }
        return [
            ("event-registration", bytes(events[0])),
            ("event-party", bytes(events[1])),
            ("event-link", bytes(events[2])),
            (
                "event-account",
                bytes(
                    WireEvent.with {
                        $0.seq = 4
                        $0.time = FuzzClock.start + 180
                        $0.account =
                            Account(
                                id: AccountID(number: 2), state: .merged(into: AccountID(number: 1)),
                                actor: PartyID("cm"), changedAt: FuzzClock.start + 180, reason: "one legal entity"
                            ).wire
                    })
            ),
            (
                "event-access",
                bytes(
                    WireEvent.with {
                        $0.seq = 5
                        $0.time = FuzzClock.start + 240
                        $0.access =
                            AccessRecord(
                                reader: PartyID("cm"), readerKind: .channelManager, method: .listRegistrations,
                                requestID: "r-9",
                                registrationIDs: [RegistrationID(number: 1), RegistrationID(number: 2)]
                            ).wire
                    })
            ),
            (
                "sync-reply",
                bytes(
                    Dealreg_V1_SyncReply.with {
                        $0.events = events
                        $0.headSeq = 2
                    })
            ),
            (
                "feed-reply",
                bytes(
                    Dealreg_V1_FeedReply.with {
                        $0.events = [events[0]]
                        $0.lastSeq = 1
                    })
            ),
            (
                "work-ready",
                work {
                    $0.ready = .with {
                        $0.capacity = 64
                        $0.workerName = "host-1:4242"
                        $0.watermark = 2
                    }
                }
            ),
            ("work-heartbeat", work { $0.heartbeat.watermark = 2 }),
            (
                "work-check-request",
                work {
                    $0.checkRequest = .with {
                        $0.checkID = 1
                        $0.customer = customers[0].wire
                        $0.productLines = ["storage"]
                        $0.holder = "bolt"
                        $0.minimumScore = 0.2
                    }
                }
            ),
            (
                "work-check-result",
                work {
                    $0.checkResult = .with {
                        $0.checkID = 1
                        $0.watermark = 2
                        $0.candidates = [
                            .with {
                                $0.registrationID = "DR-00000001"
                                $0.score = 0.98
                                $0.reasons = registrationWire.decision.matches[0].reasons
                            }
                        ]
                    }
                }
            ),
            ("work-disconnect", work { $0.disconnect.reason = "worker stopping" }),
            (
                "case",
                bytes(
                    Dealreg_V1_Case.with {
                        $0.id = "V-00000001"
                        $0.violation = violation
                        $0.state = .confirmed
                        $0.sanctionID = "S-00000001"
                        $0.steps = [
                            .with {
                                $0.time = FuzzClock.start
                                $0.actor = "enforcement"
                                $0.action = .confirm
                                $0.reason = "Confirmed at detection (zero tolerance)."
                            }
                        ]
                    })
            ),
            (
                "sanction",
                bytes(
                    Dealreg_V1_Sanction.with {
                        $0.id = "S-00000001"
                        $0.party = "seller-1"
                        $0.level = .commissionWithheld
                        $0.caseID = "V-00000001"
                        $0.active = true
                        $0.reason = "DIRECT_BYPASS confirmed in case V-00000001"
                        $0.time = FuzzClock.start
                    })
            ),
            (
                "escalation",
                bytes(
                    Dealreg_V1_Escalation.with {
                        $0.registrationID = "DR-00000005"
                        $0.reviewDue = FuzzClock.today.adding(days: 2).wire
                        $0.escalatedAt = FuzzClock.start
                        $0.registrant = "bolt"
                    })
            ),
            ("registration", bytes(registrationWire)),
        ]
    }

    /// Envelopes beyond the requests: replies a client decodes, and the refusals of the codec.
    static var envelopeExtras: [(String, [UInt8])] {
        var wrongVersion = WireEnvelope(requestID: "v-1", body: .status(.init()))
        wrongVersion.version = 7
        var unknownBody = WireEnvelope(requestID: "u-1", body: .status(.init()))
        unknownBody.body = nil
        let decision = Dealreg_V1_RegisterDealReply.with { $0.decision = registrationWire.decision }
        return [
            ("reply-register-deal", EnvelopeCodec.encode(requestID: "r-1", body: .registerDealReply(decision))),
            (
                "reply-list-registrations",
                EnvelopeCodec.encode(
                    requestID: "r-2", body: .listRegistrationsReply(.with { $0.registrations = [registrationWire] }))
            ),
            (
                "reply-record-booking",
                EnvelopeCodec.encode(requestID: "r-3", body: .recordBookingReply(.with { $0.violations = [violation] }))
            ),
            (
                "reply-sync",
                EnvelopeCodec.encodeSyncReply(requestID: "sync-1", headSeq: 2, events: events.map { bytes($0) })
            ),
            (
                "reply-error",
                EnvelopeCodec.encode(
                    requestID: "r-4",
                    error: WireError(.invalidField, "'EURO' is not a currency.", field: "amount.currency"))
            ),
            ("wrong-version", bytes(wrongVersion)),
            ("no-body", bytes(unknownBody)),
            ("empty-request-id", EnvelopeCodec.encode(requestID: "", body: .status(.init()))),
            ("not-protobuf", Array("this is not protobuf \u{FF}".utf8)),
        ]
    }

    static let policies: [(String, String)] = [
        ("empty", "{}"),
        (
            "full",
            """
            {
              "version": "2026-h2",
              "matching": { "conflict_threshold": 0.95, "review_threshold": 0.20 },
              "protection": { "days": 90, "days_by_tier": { "gold": 120, "silver": 100 }, "extension_days": 90 },
              "review": { "sla_business_days": 2 },
              "partner_managed": { "incumbency_days": 365 },
              "reregistration_cooldown_days": 30,
              "quotas": { "registrations_per_week": 0, "by_principal": { "acme": 500, "bolt": 0 } },
              "holidays": { "FR": { "add": ["2026-05-07"], "remove": ["2026-05-08"] }, "SE": { "add": ["2026-06-06"] } },
              "enforcement": {
                "auto_confirm": ["DIRECT_BYPASS", "POACHING"],
                "auto_confirm_evidence": ["equal_tax_id", "equal_domain_and_name", "name_and_address"],
                "squatting": { "minimum_closed": 5, "expired_share": 0.5, "times_norm": 2.0 }
              }
            }
            """
        ),
        ("limits", #"{"limits":{"requests_per_second":250.5,"burst":1000}}"#),
        ("thresholds", #"{"version":"strict","matching":{"conflict_threshold":0.9,"review_threshold":0.35}}"#),
        ("nulls", #"{"version":null,"matching":null,"holidays":{"DE":null},"quotas":{"by_principal":{}}}"#),
        ("unknown-key", #"{"protection":{"days":90,"weeks":2}}"#),
        ("unknown-evidence", #"{"enforcement":{"auto_confirm_evidence":["name_and_address","same_city"]}}"#),
        ("wrong-type", #"{"review":{"sla_business_days":"two"}}"#),
        ("inverted-thresholds", #"{"matching":{"conflict_threshold":0.6,"review_threshold":0.7}}"#),
        ("bad-date", #"{"holidays":{"IT":{"add":["2026-02-30"]}}}"#),
        (
            "catalog",
            #"{"catalog":{"lines":[{"id":"storage","name":"Storage"},{"id":"storage/arrays","aliases":["san","NAS"]}]}}"#
        ),
        (
            "catalog-orphan",
            #"{"catalog":{"lines":[{"id":"storage/arrays"},{"id":"servers","aliases":["Storage Arrays"]}]}}"#
        ),
        ("not-an-object", "[1, 2, 3]"),
        ("numbers", #"{"protection":{"days":1e2,"extension_days":0.0},"quotas":{"registrations_per_week":true}}"#),
    ]

    static let csvFiles: [(String, String)] = [
        (
            "deals",
            [
                "ref,customer_name,street,city,postal_code,region,country,web_domain,tax_id,product_lines,amount,"
                    + "currency,close_date,tender,on_behalf_of,description",
                "R1,Brasserie du Port SARL,12 quai du Port,Marseille,13002,,FR,brasserie-du-port.fr,FR 40 303 265 045,"
                    + "storage;servers,125000.00,EUR,2026-08-31,no,,first phase",
                "R2,\"Kastell Versicherung, AG\",Marienplatz 8,München,80331,BY,DE,,,storage,90000,EUR,2026-09-30,yes,,"
                    + "\"quoted, with a comma\"",
                "R3,\"Helios \"\"Energia\"\" SpA\",\"Via Dante 4\nScala B\",Milano,20121,MI,it,"
                    + "https://www.helios-energia.it/,,servers,1250.5,JPY,2026-13-01,,acme,",
                "",
            ].joined(separator: "\n")
        ),
        (
            "bookings",
            [
                "order_id,customer_name,country,postal_code,product_lines,amount,currency,booked_by,booked_on,"
                    + "claimed_registration_id",
                "ERP-1,Brasserie du Port,FR,13002,storage,90000.00,EUR,seller-1,2026-06-01,",
                "ERP-2,KASTELL VERSICHERUNG AG,de,80 331,storage;servers,12.345,EUR,bolt,2026-06-02,DR-00000002",
                "",
            ].joined(separator: "\r\n")
        ),
        ("header-only", "customer_name,country,product_lines,amount,currency,close_date\n"),
        ("ragged", "a,b,c\n1\n1,2,3,4\n\"unterminated,2\n"),
    ]

    /// Inputs that found bugs, kept as seeds so every replay checks them again: a NUL in a request id or an order
    /// id once reached SQLite, which stores text up to the first NUL (the id of a harness request, cut there,
    /// collided with it and failed the whole group commit). Each goes to `target` as its first caller.
    static var regressions: [(name: String, target: String, envelope: [UInt8])] {
        let booking = booking(order: "harness-order-0\u{0}x", customer: 0, bookedBy: "seller-1")
        return [
            (
                "request-id-with-nul", "registry",
                EnvelopeCodec.encode(requestID: "harness-0\u{0}fuzz", body: .registerDeal(registration(newCustomer)))
            ),
            (
                "order-id-with-nul", "enforcement",
                EnvelopeCodec.encode(
                    requestID: "seed-order-id-with-nul", body: .recordBooking(.with { $0.booking = booking }))
            ),
        ]
    }

    /// Every target's seeds, by target name.
    static var seeds: [String: [(String, [UInt8])]] {
        func envelope(_ requests: [(name: String, caller: String, body: WireEnvelope.OneOf_Body)]) -> [(
            String, [UInt8]
        )] {
            requests.map { ($0.name, EnvelopeCodec.encode(requestID: "seed-\($0.name)", body: $0.body)) }
        }
        func addressed(_ requests: [(name: String, caller: String, body: WireEnvelope.OneOf_Body)], _ callers: [String])
            -> [(String, [UInt8])]
        {
            requests.map { request in
                guard let index = callers.firstIndex(of: request.caller) else {
                    fatalError("seed \(request.name): \(request.caller) is not a caller")
                }
                return (
                    request.name,
                    [UInt8(index)] + EnvelopeCodec.encode(requestID: "seed-\(request.name)", body: request.body)
                )
            }
        }
        let registry = addressed(registryRequests, LocalServices.registryCallers)
        return [
            "envelope": envelope(registryRequests) + envelope(enforcementRequests).map { ("enforcement-\($0.0)", $0.1) }
                + envelopeExtras + regressions.map { ($0.name, $0.envelope) },
            "event": eventSeeds,
            "policy": policies.map { ($0.0, Array($0.1.utf8)) },
            "csv": csvFiles.map { ($0.0, Array($0.1.utf8)) },
            "registry": registry + envelopeExtras.suffix(4).map { ($0.0, [0] + $0.1) }
                + regressions.filter { $0.target == "registry" }.map { ($0.name, [0] + $0.envelope) },
            "enforcement": addressed(enforcementRequests, LocalServices.enforcementCallers)
                + regressions.filter { $0.target == "enforcement" }.map { ($0.name, [0] + $0.envelope) },
        ]
    }

    /// Writes `root/<target>/<seed>` for every target, replacing what the folders held; the number of files.
    static func write(to root: URL) throws -> Int {
        var written = 0
        for (target, seeds) in seeds {
            let folder = root.appendingPathComponent(target)
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, bytes) in seeds {
                try Data(bytes).write(to: folder.appendingPathComponent(name))
                written += 1
            }
        }
        return written
    }

    static func bytes<M: SwiftProtobuf.Message>(_ message: M) -> [UInt8] {
        (try? message.serializedBytes()) ?? []
    }
}
