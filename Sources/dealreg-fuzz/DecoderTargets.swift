import DealBus
import DealCSV
import DealModel
import DealWire
import Foundation
import Matching
import SwiftProtobuf
import ZeroMQ

/// The decoder targets: what the services and the command line do to bytes before any business rule, run in
/// this process. Besides crashes they check a few invariants the code promises (each `precondition` names it).
/// Not thread-safe: libFuzzer calls one input at a time.
enum DecoderTargets {
    /// A few registrations' customers, indexed once, for the searches a check worker and enforcement run.
    nonisolated(unsafe) static let index: CandidateIndex = {
        var index = CandidateIndex()
        index.insert(
            contentsOf: SeedCorpus.customers.enumerated().map {
                (id: RegistrationID(number: Int64($0.offset + 1)), customer: $0.element)
            })
        return index
    }()
    static let scorer = CustomerScorer()
    static let heldCustomer = NormalizedCustomer(SeedCorpus.customers[0])

    // MARK: envelope

    /// What a service's api does with a request frame: decode and check the envelope, then the conversions and
    /// checks of its body that run before any business rule (and, for replies, what a client does with them).
    static func envelope(_ bytes: [UInt8]) {
        let envelope: WireEnvelope
        switch EnvelopeCodec.decodeRequest(bytes) {
        case .failure(let failure):
            precondition(
                failure.error.code != .unspecified && !failure.error.message.isEmpty,
                "every refusal has a code and a sentence")
            _ = EnvelopeCodec.encode(requestID: failure.requestID, error: failure.error)
            return
        case .success(let decoded):
            envelope = decoded
        }
        stableEncoding(envelope)
        if envelope.action == nil { _ = envelope.methodName }
        switch envelope.body {
        case .registerDeal(let request)?:
            _ = request.fingerprint
            dealRequest(request)
        case .recordBooking(let request)?:
            _ = request.fingerprint
            booking(request.booking)
        case .addParty(let request)?:
            _ = request.fingerprint
            if let party = Party(wire: request.party) { partyChecks(party) }
        case .setKey(let request)?:
            _ = PartyID(request.partyID).isWellFormed
            _ = CurveKey(z85: request.publicKey)
        case .setStanding(let request)?:
            _ = PartyStanding(wire: request.standing)
            _ = request.reason.trimmingCharacters(in: .whitespacesAndNewlines).count
        case .transition(let request)?:
            _ = RegistrationID(request.registrationID)
            _ = request.reason.trimmingCharacters(in: .whitespacesAndNewlines).count
        case .listRegistrations(let request)?:
            _ = RegistrationStatus(wire: request.status)
            _ = String(request.customer.prefix(FieldLimits.textLength))
            _ = FuzzClock.today.adding(days: Int(min(request.expiringWithinDays, 3650)))
        case .listViolations(let request)?:
            _ = request.afterID.isEmpty ? 0 : Int64(request.afterID.dropFirst(2)) ?? 0
        case .caseRequest(let request)?:
            _ = request.reason.trimmingCharacters(in: .whitespacesAndNewlines).count
        case .feedReply(let reply)?:
            follow(reply.events)
        case .syncReply(let reply)?:
            follow(reply.events)
        case .registerDealReply(let reply)?:
            decision(reply.decision)
        case .getRegistrationReply(let reply)?:
            registration(reply.registration)
        case .listRegistrationsReply(let reply)?:
            for wire in reply.registrations { registration(wire) }
        case .transitionReply(let reply)?:
            registration(reply.registration)
        case .addPartyReply(let reply)?:
            _ = Party(wire: reply.party)
        case .setStandingReply(let reply)?:
            _ = Party(wire: reply.party)
        case .setKeyReply(let reply)?:
            _ = Party(wire: reply.party)
        case .listPartiesReply(let reply)?:
            _ = reply.parties.compactMap(Party.init(wire:))
        case .listAccessReply(let reply)?:
            _ = reply.entries.map { PartyKind(wire: $0.readerKind) }
        case .historyReply(let reply)?:
            _ = reply.entries.map { RegistrationStatus(wire: $0.status) }
        case .recordBookingReply(let reply)?:
            reply.violations.forEach(violation)
        case .listViolationsReply(let reply)?:
            reply.violations.forEach(violation)
        case .caseReply(let reply)?:
            violation(reply.record.violation)
        case .listCasesReply(let reply)?:
            reply.cases.forEach { violation($0.violation) }
        case .listEscalationsReply(let reply)?:
            _ = reply.escalations.map { CalendarDate(wire: $0.reviewDue) }
        case .error(let error)?:
            _ = error.code.name
        default:
            break
        }
    }

    /// A registration request as the registry takes it: converted, validated, normalised and searched.
    static func dealRequest(_ wire: Dealreg_V1_RegisterDealRequest) {
        let deal: DealRequest
        do {
            deal = try DealRequest(wire: wire)
            try deal.validate(today: FuzzClock.today)
        } catch {
            precondition(!error.field.isEmpty && !error.message.isEmpty, "every validation error names its field")
            _ = error.wire
            return
        }
        // The registry stores `deal.wire` and reads it back through `init(wire:)`: the same request must return.
        let stored: DealRequest
        do {
            stored = try DealRequest(wire: deal.wire)
            try stored.validate(today: FuzzClock.today)
        } catch {
            preconditionFailure("a validated request no longer converts or validates once stored: \(error)")
        }
        precondition(bytes(stored.wire) == bytes(deal.wire), "converting a request is idempotent")
        search(deal.customer)
    }

    /// A booking as enforcement takes it; a recorded booking is read back from the store the same way.
    static func booking(_ wire: Dealreg_V1_Booking) {
        let booking: Booking
        do {
            booking = try Booking(wire: wire)
        } catch {
            precondition(!error.field.isEmpty && !error.message.isEmpty, "every validation error names its field")
            _ = error.wire
            return
        }
        guard let stored = try? Booking(wire: booking.wire) else {
            preconditionFailure("a recorded booking no longer converts once stored")
        }
        precondition(bytes(stored.wire) == bytes(booking.wire), "converting a booking is idempotent")
        search(booking.customer)
    }

    /// The registry's checks on a new party.
    static func partyChecks(_ party: Party) {
        _ = party.id.isWellFormed
        _ = party.name.count
        _ = ISOCodes.isCountry(party.country)
        _ = CurveKey(z85: party.publicKey)
        precondition(Party(wire: party.wire).map { bytes($0.wire) } == bytes(party.wire), "party round trip")
    }

    /// A customer normalised, scored and searched for, as the registry, a check worker and enforcement do.
    static func search(_ customer: Customer) {
        let normalized = NormalizedCustomer(customer)
        _ = scorer.score(normalized, against: heldCustomer)
        _ = scorer.score(heldCustomer, against: normalized)
        for found in index.candidates(for: normalized, minimumScore: 0.2) {
            precondition(found.score >= 0.2, "the index returns only candidates at or above the minimum score")
        }
    }

    // MARK: event

    /// What the event stream's followers (check workers, enforcement, feed readers) and the work protocol's
    /// two ends decode, plus enforcement's published records: the bytes tried as each message.
    static func event(_ bytes: [UInt8]) {
        if let event = try? WireEvent(serializedBytes: bytes) {
            stableEncoding(event)
            follow([event])
        }
        if let reply = try? Dealreg_V1_SyncReply(serializedBytes: bytes) {
            follow(reply.events)
        }
        if let reply = try? Dealreg_V1_FeedReply(serializedBytes: bytes) {
            follow(reply.events)
        }
        if let message = try? WireWorkMessage(serializedBytes: bytes) {
            stableEncoding(message)
            work(message)
        }
        if let record = try? Dealreg_V1_Case(serializedBytes: bytes) {
            violation(record.violation)
            _ = record.steps.map(\.action)
        }
        if let sanction = try? Dealreg_V1_Sanction(serializedBytes: bytes) {
            _ = PartyID(sanction.party).isWellFormed
        }
        if let escalation = try? Dealreg_V1_Escalation(serializedBytes: bytes) {
            _ = CalendarDate(wire: escalation.reviewDue)
        }
        if let wire = try? Dealreg_V1_Registration(serializedBytes: bytes) {
            registration(wire)
        }
    }

    /// Applies events as a follower does: registrations converted and indexed (or dropped), parties converted.
    static func follow(_ events: [WireEvent]) {
        var followerIndex = CandidateIndex()
        for event in events {
            if event.hasHistory { _ = RegistrationStatus(wire: event.history.status) }
            switch event.payload {
            case .registration(let wire)?:
                guard let registration = registration(wire) else { continue }
                if registration.isIndexed {
                    followerIndex.insert(registration.id, customer: registration.request.customer)
                } else {
                    followerIndex.remove(registration.id)
                }
            case .party(let wire)?:
                if let party = Party(wire: wire) { partyChecks(party) }
            case .link(let wire)?:
                _ = PartyLink(wire: wire)?.pair.distributor.isWellFormed
            case .account(let wire)?:
                _ = Account(wire: wire)?.mergedInto?.number
            case .access(let wire)?:
                _ = AccessRecord(wire: wire)?.registrationIDs.count
            case .witness?, nil:
                break
            }
        }
        _ = followerIndex.candidates(for: SeedCorpus.customers[0], minimumScore: 0.2)
    }

    /// A registration as a follower or the store reads it; nil when it is incomplete.
    @discardableResult
    static func registration(_ wire: Dealreg_V1_Registration) -> Registration? {
        guard let registration = Registration(wire: wire) else { return nil }
        // The registry writes `registration.wire` and reads it back: the same registration must return.
        guard let stored = Registration(wire: registration.wire) else {
            preconditionFailure("a registration no longer converts once stored")
        }
        precondition(bytes(stored.wire) == bytes(registration.wire), "converting a registration is idempotent")
        decision(wire.decision)
        _ = registration.holdsCustomer(on: FuzzClock.today)
        _ = registration.managesAccount(on: FuzzClock.today, policy: ProgramPolicy())
        _ = registration.coolingDown(on: FuzzClock.today, policy: ProgramPolicy())
        return registration
    }

    /// A work message as the registry (ready, heartbeat, result) or a worker (check request) takes it.
    static func work(_ message: WireWorkMessage) {
        switch message.body {
        case .checkRequest(let request)?:
            let customer = Customer(wire: request.customer)
            _ = index.candidates(
                for: customer, minimumScore: request.minimumScore > 0 ? request.minimumScore : 0.2
            ).prefix(20)
        case .checkResult(let result)?:
            for candidate in result.candidates {
                _ = RegistrationID(candidate.registrationID)
                _ = candidate.reasons.map(MatchReason.init(wire:))
            }
        case .ready(let ready)?:
            _ = Int(ready.capacity)
        default:
            break
        }
    }

    /// A violation as the command line shows it.
    static func violation(_ wire: WireViolation) {
        _ = ViolationType(wire: wire.type)
        printed(wire.reasons.map(MatchReason.init(wire:)))
    }

    /// A decision as the command line shows it: its matches' scores and reasons.
    static func decision(_ wire: Dealreg_V1_Decision) {
        guard let decision = Decision(wire: wire) else { return }
        for match in decision.matches {
            _ = MatchReason.format(match.score)
            printed(match.reasons)
        }
    }

    /// Reasons as the command line prints them.
    static func printed(_ reasons: [MatchReason]) {
        for reason in reasons { _ = reason.description }
    }

    // MARK: policy

    /// A policy file: parsed, then what the registry and enforcement compute from it; what `policy show` prints
    /// for it must parse back to the same terms.
    static func policy(_ bytes: [UInt8]) {
        let policy: ProgramPolicy
        do {
            policy = try PolicyFile.parse(Data(bytes))
        } catch {
            precondition(!error.reason.isEmpty, "every refused policy says why")
            return
        }
        for country in Set(policy.calendar.extraHolidays.keys).union(["FR", "US", "XX"]) {
            _ = policy.reviewDue(openedOn: FuzzClock.today, country: country)
        }
        for tier in policy.protectionDaysByTier.keys {
            _ = policy.protectionEnd(grantedOn: FuzzClock.today, tier: tier)
        }
        _ = policy.weeklyQuota(for: PartyID("acme"))
        _ = ViolationRules(policy: policy)
        let printed = PolicyFile.json(policy)
        do {
            var reread = try PolicyFile.parse(Data(printed.utf8))
            reread.version = policy.version
            precondition(reread == policy, "`policy show` prints the same terms it runs")
        } catch {
            preconditionFailure("`policy show` prints a policy that parses: \(error)")
        }
    }

    // MARK: csv

    /// A CSV file as `dealreg import` and `dealreg booking import` read it: records, then each row's fields
    /// through the public conversions the command line applies (amount, date, request, booking).
    static func csv(_ bytes: [UInt8]) {
        var records = CSVReader.records(String(decoding: bytes, as: UTF8.self))
        var line = 0
        for record in records {
            precondition(record.line > line, "records come in order, each on a later line than the one before")
            line = record.line
        }
        guard !records.isEmpty else { return }
        let header = records.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for record in records {
            var values: [String: String] = [:]
            for (column, value) in zip(header, record.fields) { values[column] = value }
            let currency = (values["currency"] ?? "").uppercased()
            let money = Money(decimal: values["amount"] ?? "", currency: currency)
            if let money {
                precondition(
                    Money(decimal: money.decimalText, currency: currency) == money, "an amount reads back as printed")
            }
            let close = CalendarDate(iso: values["close_date"] ?? "")
            if let close { precondition(CalendarDate(iso: close.description) == close, "a date reads back as printed") }
            let customer = Customer(
                legalName: values["customer_name"] ?? "", street: values["street"] ?? "", city: values["city"] ?? "",
                postalCode: values["postal_code"] ?? "", region: values["region"] ?? "",
                country: values["country"] ?? "", webDomain: values["web_domain"] ?? "", taxID: values["tax_id"] ?? "")
            let lines = (values["product_lines"] ?? "").split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            var request = Dealreg_V1_RegisterDealRequest()
            request.customer = customer.wire
            request.productLines = lines.filter { !$0.isEmpty }
            if let money { request.amount = money.wire }
            if let close { request.expectedClose = close.wire }
            request.onBehalfOf = values["on_behalf_of"] ?? ""
            request.registrantReference = values["ref"] ?? ""
            request.description_p = values["description"] ?? ""
            dealRequest(request)
            var booking = Dealreg_V1_Booking()
            booking.orderID = values["order_id"] ?? ""
            booking.customer = customer.wire
            booking.productLines = lines
            if let money { booking.amount = money.wire }
            booking.bookedBy = values["booked_by"] ?? ""
            if let day = CalendarDate(iso: values["booked_on"] ?? "") { booking.bookedOn = day.wire }
            booking.claimedRegistrationID = values["claimed_registration_id"] ?? ""
            DecoderTargets.booking(booking)
        }
    }

    // MARK: helpers

    /// Serialising what was decoded, decoding that and serialising again gives the same bytes.
    static func stableEncoding<M: SwiftProtobuf.Message>(_ message: M) {
        guard let once: [UInt8] = try? message.serializedBytes() else {
            preconditionFailure("a decoded \(M.protoMessageName) does not serialise")
        }
        guard let again = try? M(serializedBytes: once), let twice: [UInt8] = try? again.serializedBytes() else {
            preconditionFailure("a serialised \(M.protoMessageName) does not decode")
        }
        precondition(once == twice, "\(M.protoMessageName) serialises stably")
    }

    static func bytes<M: SwiftProtobuf.Message>(_ message: M) -> [UInt8] {
        (try? message.serializedBytes()) ?? []
    }
}
