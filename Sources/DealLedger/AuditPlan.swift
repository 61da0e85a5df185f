/// What an audit of one service holds its log to besides its own records: the service's ledger keys, heads others
/// vouch for (the other service's witness, a published file), and for the registry the size enforcement followed
/// it to and the registrations enforcement cites. A value; `Sendable`.
public struct AuditPlan: Sendable {
    public struct Citation: Sendable, Hashable {
        public var registrationID: String
        /// "violation V-00000001".
        public var citedBy: String

        public init(registrationID: String, citedBy: String) {
            self.registrationID = registrationID
            self.citedBy = citedBy
        }
    }

    public var keyring: LedgerKeyring
    public var against: [HeadAudit.Held]
    public var expectedSize: UInt64
    public var cited: [Citation]

    public init(
        keyring: LedgerKeyring, against: [HeadAudit.Held] = [], expectedSize: UInt64 = 0, cited: [Citation] = []
    ) {
        self.keyring = keyring
        self.against = against
        self.expectedSize = expectedSize
        self.cited = cited
    }
}
