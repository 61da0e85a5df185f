/// Protobuf's wire format at the level of a message's top fields, for the places that complete or build a message
/// from parts already serialized instead of encoding it again: the registry's event with its registration and reply
/// with its receipt, and a sync reply from stored events (`EnvelopeCodec.encodeSyncReply`). Appending a field a
/// message lacks after its last field gives what encoding the whole would give when the field's number is the
/// highest set, which each caller knows of its message. Values only.
public enum WireSplice {
    /// Appends length-delimited field `number` holding `bytes` to the serialized message `message`.
    public static func append(field number: Int, _ bytes: [UInt8], to message: inout [UInt8]) {
        message.reserveCapacity(message.count + bytes.count + 12)
        appendVarint(UInt64(number << 3 | 2), to: &message)
        appendVarint(UInt64(bytes.count), to: &message)
        message.append(contentsOf: bytes)
    }

    /// The last top field of `message` when it is length-delimited: its number, where its tag starts and the range of
    /// its content; nil for a message that does not parse or ends with another wire type.
    public static func lastField(of message: [UInt8]) -> (number: Int, start: Int, content: Range<Int>)? {
        var position = 0
        var last: (number: Int, start: Int, content: Range<Int>)?
        while position < message.count {
            let start = position
            guard let tag = varint(message, at: &position), tag >> 3 > 0, tag >> 3 <= 536_870_911 else { return nil }
            last = nil
            switch tag & 7 {
            case 0: guard varint(message, at: &position) != nil else { return nil }
            case 1: position += 8
            case 5: position += 4
            case 2:
                guard let length = varint(message, at: &position), length <= UInt64(message.count - position) else {
                    return nil
                }
                last = (Int(tag >> 3), start, position..<position + Int(length))
                position += Int(length)
            default: return nil
            }
        }
        return position == message.count ? last : nil
    }

    /// Appends `value` as a base-128 varint.
    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func varint(_ bytes: [UInt8], at position: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
