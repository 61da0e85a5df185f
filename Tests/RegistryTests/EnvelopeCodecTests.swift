import DealBus
import DealWire
import Testing

/// What `EnvelopeCodec.decodeRequest` answers for envelopes a server cannot serve (PROTOCOL.md §4.2, §4.4).
@Suite("EnvelopeCodec")
struct EnvelopeCodecTests {
    static func envelope(version: UInt32, requestID: String) throws -> [UInt8] {
        var envelope = WireEnvelope(requestID: requestID, body: .status(.init()))
        envelope.version = version
        return try envelope.serializedBytes()
    }

    static func failure(_ payload: [UInt8]) throws -> EnvelopeFailure {
        guard case .failure(let failure) = EnvelopeCodec.decodeRequest(payload) else {
            throw DecodedAnyway()
        }
        return failure
    }

    struct DecodedAnyway: Error {}

    @Test func aWrongVersionEchoesAWellFormedRequestID() throws {
        let failure = try Self.failure(Self.envelope(version: 7, requestID: "acme-0001"))
        #expect(failure.error.code == .unsupportedVersion && failure.error.field == "version")
        #expect(failure.requestID == "acme-0001")
    }

    @Test(arguments: [
        String(repeating: "x", count: 200_000), String(repeating: "y", count: 129), "with space", "nul\u{0}inside",
        "line\nbreak", "é-accent", "",
    ])
    func aWrongVersionWithABadRequestIDAnswersWithAnEmptyID(requestID: String) throws {
        let failure = try Self.failure(Self.envelope(version: 0, requestID: requestID))
        #expect(failure.error.code == .unsupportedVersion)
        #expect(failure.requestID.isEmpty, "echoed \(failure.requestID.utf8.count) bytes")
    }

    @Test func aRequestIDOfExactly128PrintableCharactersIsEchoed() throws {
        let id = String(repeating: "~", count: 128)
        #expect(try Self.failure(Self.envelope(version: 2, requestID: id)).requestID == id)
    }

    @Test func aBadRequestIDWithTheRightVersionIsRefusedWithItsField() throws {
        let failure = try Self.failure(Self.envelope(version: Wire.version, requestID: "with space"))
        #expect(failure.error.code == .invalidField && failure.error.field == "request_id")
        #expect(failure.requestID.isEmpty)
    }
}
