import DealBus
import DealLedger
import DealModel
import DealWire
import Testing

@testable import Registry

/// A registration's event is assembled from its registration serialized once, and a reply's receipt is spliced into
/// the reply already serialized: each must be byte for byte the message serialized whole, since the ledger chains
/// the events' bytes, a retried request gets the stored reply, and every client decodes them.
@Suite struct RegistryWriteTests {
    static func registration(legalName: String, lines: [String]) -> Registration {
        let id = RegistrationID(number: 7)
        return Registration(
            id: id, registrant: PartyID("acme"), holder: PartyID("acme"), holderKind: .partner,
            request: DealRequest(
                customer: Customer(legalName: legalName, postalCode: "59000", country: "FR"),
                productLines: lines, amount: Money(minorUnits: 100, currency: "EUR"),
                expectedClose: CalendarDate(iso: "2027-03-01")!),
            status: .approved,
            decision: Decision(
                registrationID: id, outcome: .approved, protectedUntil: CalendarDate(iso: "2027-03-01"),
                explanation: "Approved.", decidedAt: 1),
            account: AccountID(number: 3))
    }

    @Test(arguments: [
        // A body under 128 bytes (a one-byte length) and one over 16 KiB (a three-byte length).
        ("Filature du Nord SAS", ["storage"]),
        (
            String(repeating: "Ateliers Réunis ", count: 12),
            (0..<50).map { "line-\($0)-" + String(repeating: "x", count: 300) }
        ),
    ])
    func theEventIsTheWholeEventSerialized(legalName: String, lines: [String]) throws {
        let registration = Self.registration(legalName: legalName, lines: lines)
        let history = HistoryRow(
            registrationID: registration.id, seq: 9, time: 1_800_000_000, actor: PartyID("acme"),
            action: "registered", status: .approved, reason: "Approved.", policyVersion: "builtin")
        let write = RegistryWrite(.registered(registration, history), seq: 9, time: 1_800_000_000, answer: nil)
        var event = WireEvent()
        event.seq = 9
        event.time = 1_800_000_000
        event.history = history.wire
        event.registration = registration.wire
        #expect(write.eventBytes == (try event.serializedBytes()))
        #expect(write.registrationBytes == (try registration.wire.serializedBytes()))
        #expect(try WireEvent(serializedBytes: write.eventBytes).registration == registration.wire)
    }

    @Test(arguments: [("Filature du Nord SAS", ["storage"]), ("Ateliers Réunis", ["storage", "servers"])])
    func aReceiptIsSplicedIntoTheReplyAsEncodingItWholeWould(legalName: String, lines: [String]) throws {
        let registration = Self.registration(legalName: legalName, lines: lines)
        let head = LedgerHead(
            service: "registry", size: 9, root: Array(repeating: 1, count: 32),
            chainHash: Array(repeating: 2, count: 32),
            time: 1_800_000_000, publicKey: Array(repeating: 3, count: 32), signature: Array(repeating: 4, count: 64))
        let hash = (chain: Array(repeating: UInt8(5), count: 32), previous: Array(repeating: UInt8(6), count: 32))
        var decided = Dealreg_V1_RegisterDealReply()
        decided.decision = registration.decision.wire
        var stepped = Dealreg_V1_TransitionReply()
        stepped.registration = registration.wire
        for body in [WireEnvelope.OneOf_Body.registerDealReply(decided), .transitionReply(stepped)] {
            let reply = EnvelopeCodec.encode(requestID: "request-1", body: body)
            var whole = try WireEnvelope(serializedBytes: reply)
            let receipt = Dealreg_V1_Receipt(seq: 9, hash: hash.chain, previous: hash.previous, head: head)
            switch whole.body {
            case .registerDealReply(var reply)?:
                reply.receipt = receipt
                whole.body = .registerDealReply(reply)
            case .transitionReply(var reply)?:
                reply.receipt = receipt
                whole.body = .transitionReply(reply)
            default: Issue.record("unexpected body")
            }
            #expect(Receipts.attach(to: reply, seq: 9, hash: hash, head: head) == (try whole.serializedBytes()))
        }
        // Any other answer is left as it is; a truncated one is not spliced.
        let error = EnvelopeCodec.encode(requestID: "request-2", body: .error(Dealreg_V1_Error()))
        #expect(Receipts.attach(to: error, seq: 9, hash: hash, head: head) == nil)
        let truncated = Array(
            EnvelopeCodec.encode(requestID: "request-3", body: .registerDealReply(decided)).dropLast())
        #expect(Receipts.attach(to: truncated, seq: 9, hash: hash, head: head) == nil)
    }
}
