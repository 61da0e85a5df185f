import Testing
import ZeroMQ

@Suite("CurveKey and CurveKeyPair")
struct CurveKeyTests {
    // The example key pairs of the zmq_curve(7) manual page.
    static let serverPublic = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
    static let serverSecret = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"
    static let clientPublic = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
    static let clientSecret = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"

    static let keyBytes: [[UInt8]] = [
        [UInt8](repeating: 0, count: 32),
        [UInt8](repeating: 0xFF, count: 32),
        (0..<32).map { UInt8($0) },
        (0..<32).map { (index: Int) -> UInt8 in UInt8(255 - index * 7) },
    ]

    static let notZ85OfAKey: [String] = [
        "",
        String(serverPublic.dropLast()),  // 39 characters
        serverPublic + "0",  // 41 characters
        String(serverPublic.dropLast(5)),  // 35: a valid Z85 length, but not a key
        String(serverPublic.dropLast()) + "\"",  // '"' is not in the Z85 alphabet
        String(serverPublic.dropLast()) + "~",
        String(serverPublic.dropLast()) + " ",
        String(serverPublic.dropLast()) + ",",
        String(repeating: "#", count: 40),  // every group exceeds 2^32 - 1
        String(serverPublic.dropLast(2)) + "é",  // 40 UTF-8 bytes, one of them not ASCII
    ]

    @Test(arguments: keyBytes)
    func z85RoundTripsEveryByte(bytes: [UInt8]) throws {
        let key = try #require(CurveKey(bytes: bytes))
        let text = key.z85
        #expect(text.utf8.count == 40)
        #expect(key.description == text)
        let decoded = try #require(CurveKey(z85: text))
        #expect(decoded == key)
        #expect(decoded.bytes == bytes)
    }

    @Test func z85RoundTripsRandomKeys() throws {
        for _ in 0..<50 {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
            let key = try #require(CurveKey(bytes: bytes))
            #expect(CurveKey(z85: key.z85)?.bytes == bytes)
        }
    }

    @Test func decodesAndReencodesPublishedKeys() throws {
        for text in [Self.serverPublic, Self.serverSecret, Self.clientPublic, Self.clientSecret] {
            let key = try #require(CurveKey(z85: text))
            #expect(key.z85 == text)
        }
    }

    @Test(arguments: [31, 33, 0, 40])
    func rejectsRawKeysThatAreNot32Bytes(count: Int) {
        #expect(CurveKey(bytes: [UInt8](repeating: 1, count: count)) == nil)
    }

    @Test(arguments: notZ85OfAKey)
    func rejectsTextThatIsNotZ85OfAKey(text: String) {
        #expect(CurveKey(z85: text) == nil)
    }

    @Test func rejectsTextWithAnEmbeddedNUL() {
        // 35 valid characters, a NUL, then 4 more: 40 UTF-8 bytes, but libzmq stops reading at the NUL.
        let text = String(Self.serverPublic.prefix(35)) + "\u{0}" + String(Self.serverPublic.suffix(4))
        #expect(CurveKey(z85: text) == nil)
    }

    @Test func derivesThePublishedPublicKeyFromItsSecretKey() throws {
        for (secret, expected) in [(Self.serverSecret, Self.serverPublic), (Self.clientSecret, Self.clientPublic)] {
            let pair = try CurveKeyPair(secretKey: try #require(CurveKey(z85: secret)))
            #expect(pair.publicKey.z85 == expected)
            #expect(pair.secretKey.z85 == secret)
        }
    }

    @Test func generatedPairsDeriveTheSamePublicKeyFromTheSecretKey() throws {
        let generated = try CurveKeyPair.generate()
        let derived = try CurveKeyPair(secretKey: generated.secretKey)
        #expect(derived == generated)
        #expect(derived.publicKey == generated.publicKey)
        #expect(generated.publicKey != generated.secretKey)
    }

    @Test func generatesADifferentPairEachTime() throws {
        let first = try CurveKeyPair.generate()
        let second = try CurveKeyPair.generate()
        #expect(first.secretKey != second.secretKey)
        #expect(first.publicKey != second.publicKey)
    }

    @Test func theLinkedLibraryHasCurve() {
        #expect(Context.has("curve"))
        #expect(Context.version.hasPrefix("4."))
    }
}
