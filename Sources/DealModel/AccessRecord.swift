/// A read of partners' registrations by the vendor's side, as the registry's ledger records it before the read is
/// answered: who read, through which request, and which registrations the answer showed. A value; `Sendable`.
public struct AccessRecord: Sendable, Hashable {
    /// How a read reached the registrations, as the record names it.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case getRegistration = "GetRegistration"
        case listRegistrations = "ListRegistrations"
        case history = "History"
        case showAccount = "ShowAccount"
        case feed = "Feed"
        /// A seller's registration decided against partners' registrations, which its answer names.
        case conflict
    }

    public var reader: PartyID
    public var readerKind: PartyKind
    public var method: Method
    /// The reader's request id.
    public var requestID: String
    /// The partners' registrations the answer showed, each once, in the order it showed them.
    public var registrationIDs: [RegistrationID]

    public init(
        reader: PartyID, readerKind: PartyKind, method: Method, requestID: String, registrationIDs: [RegistrationID]
    ) {
        self.reader = reader
        self.readerKind = readerKind
        self.method = method
        self.requestID = requestID
        self.registrationIDs = registrationIDs
    }

    /// Whether a read by `reader` (of `kind`) of a registration filed by `registrant` for `holder` of `holderKind`
    /// is recorded: the vendor's side reading a partner's (or distributor's) registration it is not a side of.
    /// `registrantKind` is nil for a registrant no longer known.
    public static func records(
        readBy reader: PartyID, kind: PartyKind, registrant: PartyID, registrantKind: PartyKind?, holder: PartyID,
        holderKind: PartyKind
    ) -> Bool {
        guard kind.isVendorSide, reader != registrant, reader != holder else { return false }
        return holderKind.isChannel || registrantKind?.isChannel == true
    }
}
