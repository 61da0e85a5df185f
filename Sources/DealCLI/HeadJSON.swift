import DealBus
import DealLedger
import DealWire
import Foundation

/// A signed head as the command line prints and reads it (`audit head --json`, receipt files): hashes, key and
/// signature in hex, the time in seconds since the Unix epoch. A value; `Codable`.
struct HeadJSON: Codable, Hashable {
    var service: String
    var size: UInt64
    var root: String
    var chain_hash: String
    var time: Int64
    var signed_at: String?
    var public_key: String
    var key_id: String?
    var signature: String

    init(_ head: LedgerHead) {
        service = head.service
        size = head.size
        root = Hex.text(head.root)
        chain_hash = Hex.text(head.chainHash)
        time = head.time
        signed_at = Date(timeIntervalSince1970: TimeInterval(head.time)).ISO8601Format()
        public_key = Hex.text(head.publicKey)
        key_id = head.keyID
        signature = Hex.text(head.signature)
    }

    /// The head; nil when a field is not hex of the right length.
    var head: LedgerHead? {
        guard let root = Hex.bytes(root, count: 32), let chain = Hex.bytes(chain_hash, count: 32),
            let key = Hex.bytes(public_key, count: 32), let signature = Hex.bytes(signature, count: 64)
        else { return nil }
        return LedgerHead(
            service: service, size: size, root: root, chainHash: chain, time: time, publicKey: key, signature: signature
        )
    }
}

/// What a registrant keeps of a decision (`register --receipt FILE`, `audit prove FILE`). A value; `Codable`.
struct ReceiptJSON: Codable {
    var registration_id: String?
    var seq: UInt64
    var hash: String
    /// The chain hash before (with the event's bytes, SHA-256(previous ‖ bytes) is `hash`).
    var previous_hash: String?
    var head: HeadJSON

    init(registrationID: String?, _ receipt: Dealreg_V1_Receipt) {
        registration_id = registrationID
        seq = receipt.seq
        hash = Hex.text(Array(receipt.hash))
        previous_hash = receipt.previousHash.isEmpty ? nil : Hex.text(Array(receipt.previousHash))
        head = HeadJSON(
            LedgerHead(wire: receipt.head) ?? LedgerHead(service: "", size: 0, root: [], chainHash: [], time: 0))
    }

    /// The receipt in `file`, or a sentence saying why it cannot be read.
    static func read(_ file: String) throws -> ReceiptJSON {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw AddressError("The receipt \(file) cannot be read: \(error.localizedDescription)")
        }
        // A receipt file, or the `register --json` line that carries one.
        if let receipt = try? JSONDecoder().decode(ReceiptJSON.self, from: data) { return receipt }
        struct Carrier: Codable { var receipt: ReceiptJSON }
        guard let carried = try? JSONDecoder().decode(Carrier.self, from: data) else {
            throw AddressError("\(file) is not a receipt (a `register --receipt` file or a `register --json` line).")
        }
        return carried.receipt
    }

    func write(to file: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: file), options: .atomic)
    }
}

/// Lower-case hex.
enum Hex {
    static func text(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// The bytes `text` spells; nil unless it is hex of `count` bytes.
    static func bytes(_ text: String, count: Int) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == count * 2 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
