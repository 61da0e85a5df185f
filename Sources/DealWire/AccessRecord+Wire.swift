import DealModel

extension AccessRecord {
    public var wire: Dealreg_V1_AccessRecord {
        var wire = Dealreg_V1_AccessRecord()
        wire.reader = reader.rawValue
        wire.readerKind = readerKind.wire
        wire.method = method.rawValue
        wire.requestID = requestID
        wire.registrationIds = registrationIDs.map(\.rawValue)
        return wire
    }

    /// Nil for a record whose reader kind or method this build does not know.
    public init?(wire: Dealreg_V1_AccessRecord) {
        guard let kind = PartyKind(wire: wire.readerKind), let method = Method(rawValue: wire.method) else {
            return nil
        }
        self.init(
            reader: PartyID(wire.reader), readerKind: kind, method: method, requestID: wire.requestID,
            registrationIDs: wire.registrationIds.map { RegistrationID($0) })
    }
}
