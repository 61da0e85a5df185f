import DealBus
import DealModel
import DealWire
import Foundation
import Testing

/// The annotated hex exchange in PROTOCOL.md is the bytes the real encoder produces: the test fails when the
/// document or the encoder changes without the other.
@Suite struct ProtocolExampleTests {
    /// The day and instant the example registration is decided (2026-11-02 09:30:00 UTC).
    static let today = CalendarDate(year: 2026, month: 11, day: 2)!
    static let decidedAt: Int64 = 1_793_611_800

    /// The example RegisterDeal request, as a partner integration would fill it.
    static func registerDeal() -> Dealreg_V1_RegisterDealRequest {
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer = Customer(legalName: "Café du Port SARL", postalCode: "13002", country: "FR").wire
        request.productLines = ["pos-terminals"]
        request.amount = Money(minorUnits: 4_200_000, currency: "EUR").wire
        request.expectedClose = CalendarDate(year: 2027, month: 3, day: 31)!.wire
        request.registrantReference = "OPP-7731"
        return request
    }

    /// The request frame a client sends.
    static func requestFrame() -> [UInt8] {
        EnvelopeCodec.encode(requestID: "acme-0001", body: .registerDeal(registerDeal()))
    }

    /// The reply frame, decided as the registry decides a registration that matches nothing: the request mapped
    /// and validated, the built-in policy's rules applied for partner `acme`, registration number 1.
    static func replyFrame() throws -> [UInt8] {
        let deal = try DealRequest(wire: registerDeal())
        try deal.validate(today: today)
        let decision = DecisionRules(policy: ProgramPolicy()).decide(
            id: RegistrationID(number: 1), request: deal,
            holder: DecisionRules.Holder(id: PartyID("acme"), kind: .partner), candidates: [], today: today,
            now: decidedAt)
        var reply = Dealreg_V1_RegisterDealReply()
        reply.decision = decision.wire
        return EnvelopeCodec.encode(requestID: "acme-0001", body: .registerDealReply(reply))
    }

    /// The error frame the registry answers when validation refuses a request (a three-letter country).
    static func invalidFieldFrame() throws -> [UInt8] {
        var request = registerDeal()
        request.customer.country = "FRA"
        do {
            try DealRequest(wire: request).validate(today: today)
        } catch {
            return EnvelopeCodec.encode(requestID: "acme-0002", error: error.wire)
        }
        Issue.record("the request with country FRA passed validation")
        return []
    }

    /// The error frame a principal over its rate limit gets, from the real limiter under the built-in policy.
    static func rateLimitedFrame() -> [UInt8] {
        let limiter = RateLimiter(policy: ProgramPolicy())
        var refusal: [UInt8] = []
        let now = ContinuousClock.now
        for _ in 0...ProgramPolicy().requestBurst where refusal.isEmpty {
            _ = limiter.admit(PartyID("acme"), kind: .partner, at: now) { error in
                refusal = EnvelopeCodec.encode(requestID: "acme-0003", error: error)
                return [refusal]
            }
        }
        return refusal
    }

    /// The bytes of the hex block that follows `<!-- example:NAME -->` in PROTOCOL.md. On each line of the block,
    /// what comes before `#` is hex, two digits per byte; the rest annotates it.
    static func documentedBytes(_ name: String) throws -> [UInt8] {
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("PROTOCOL.md")
        let text = try String(contentsOf: document, encoding: .utf8)
        let marker = try #require(text.range(of: "<!-- example:\(name) -->"), "no example \(name)")
        let opening = try #require(text.range(of: "```", range: marker.upperBound..<text.endIndex))
        let firstLine = try #require(text.range(of: "\n", range: opening.upperBound..<text.endIndex))
        let closing = try #require(text.range(of: "\n```", range: firstLine.upperBound..<text.endIndex))
        var bytes: [UInt8] = []
        for line in text[firstLine.upperBound..<closing.lowerBound].split(separator: "\n") {
            let hex = line.prefix(while: { $0 != "#" })
            for token in hex.split(separator: " ") {
                bytes.append(try #require(UInt8(token, radix: 16), "'\(token)' in example \(name)"))
            }
        }
        return bytes
    }

    static func hex(_ bytes: [UInt8]) -> String {
        stride(from: 0, to: bytes.count, by: 16).map { start in
            bytes[start..<min(start + 16, bytes.count)].map { String(format: "%02x", $0) }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    @Test(arguments: ["register-request", "register-reply", "invalid-field-reply", "rate-limited-reply"])
    func documentedHexIsWhatTheEncoderProduces(example: String) throws {
        let encoded =
            switch example {
            case "register-request": Self.requestFrame()
            case "register-reply": try Self.replyFrame()
            case "invalid-field-reply": try Self.invalidFieldFrame()
            default: Self.rateLimitedFrame()
            }
        #expect(!encoded.isEmpty)
        #expect(
            try Self.documentedBytes(example) == encoded,
            "PROTOCOL.md's \(example) differs from the encoder; its bytes are now:\n\(Self.hex(encoded))")
    }

    @Test func documentedRequestIsOneTheServersAccept() throws {
        guard case .success(let envelope) = EnvelopeCodec.decodeRequest(try Self.documentedBytes("register-request"))
        else {
            Issue.record("the servers refuse the documented request")
            return
        }
        #expect(envelope.registerDeal == Self.registerDeal())
    }

    @Test func documentedRepliesCarryWhatTheDocumentSays() throws {
        let reply = try WireEnvelope(serializedBytes: try Self.documentedBytes("register-reply"))
        #expect(reply.registerDealReply.decision.outcome == .approved)
        #expect(reply.registerDealReply.decision.registrationID == "DR-00000001")
        let invalid = try WireEnvelope(serializedBytes: try Self.documentedBytes("invalid-field-reply"))
        #expect(invalid.error.code == .invalidField && invalid.error.field == "customer.country")
        let limited = try WireEnvelope(serializedBytes: try Self.documentedBytes("rate-limited-reply"))
        #expect(limited.error.code == .rateLimited && limited.error.retryAfterMs == 50)
    }
}
