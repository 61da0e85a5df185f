import DealModel

/// What the registry's core reads of the durable state: lookups answered from committed records. The core never
/// writes through it; it hands its writes to the shell as `RegistryAction.write`. `RegistryStore` is the one
/// implementation (on a file in service, in memory in the core's unit tests). Used from the reactor thread only.
protocol RegistryRecords: AnyObject {
    func parties() throws -> [Party]
    /// Every two-tier link in its latest state.
    func links() throws -> [PartyLink]
    /// The last event seq and the last registration number committed.
    func counters() throws -> (seq: UInt64, registrationNumber: Int64)
    /// Calls `body` with the principal and request id of every stored answer.
    func forEachRequestKey(_ body: (String, String) -> Void) throws
    func storedAnswer(principal: PartyID, requestID: String) throws -> StoredAnswer?
    func registration(_ id: RegistrationID) throws -> Registration?
    /// Calls `body` with the id and product lines (as stored) of every stored registration.
    func forEachProductLines(_ body: (RegistrationID, [String]) -> Void) throws
    /// The registrations whose latest change is after event `seq`.
    func registrations(changedAfter seq: UInt64) throws -> [Registration]
    func registrations(_ filter: RegistrationFilter, after: String, limit: Int) throws -> [Registration]
    /// Approved registrations whose protection ended before `day`.
    func expired(before day: CalendarDate, limit: Int) throws -> [Registration]
    /// New registrations per registrant decided on or after `day`.
    func registrationCounts(since day: CalendarDate) throws -> [PartyID: Int]
    func history(_ id: RegistrationID) throws -> [HistoryRow]
    /// Events after `seq` that concern `party` (all of them for nil), as stored.
    func feed(_ party: PartyID?, after seq: UInt64, limit: Int) throws -> [(seq: UInt64, body: [UInt8])]
    /// Stored event bodies from `seq` on, for replay.
    func eventBodies(from seq: UInt64, limit: Int) throws -> [[UInt8]]
}
