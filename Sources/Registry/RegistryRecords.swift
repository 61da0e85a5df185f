import DealLedger
import DealModel
import DealWire

/// What the registry's core reads of the durable state: lookups answered from committed records. The core never
/// writes through it; it hands its writes to the shell as `RegistryAction.write`. `RegistryStore` is the one
/// implementation (on a file in service, in memory in the core's unit tests). Used from the reactor thread only.
protocol RegistryRecords: AnyObject {
    func parties() throws -> [Party]
    /// Every two-tier link in its latest state.
    func links() throws -> [PartyLink]
    /// The last event seq, registration number and account number committed.
    func counters() throws -> RegistryCounters
    /// Calls `body` with the principal and request id of every stored answer.
    func forEachRequestKey(_ body: (String, String) -> Void) throws
    func storedAnswer(principal: PartyID, requestID: String) throws -> StoredAnswer?
    func registration(_ id: RegistrationID) throws -> Registration?
    /// Calls `body` with the id and product lines (as stored) of every stored registration.
    func forEachProductLines(_ body: (RegistrationID, [String]) -> Void) throws
    /// The registrations whose latest change is after event `seq`, with that change's seq, oldest change first.
    func registrations(changedAfter seq: UInt64) throws -> [(seq: UInt64, registration: Registration)]
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
    /// The registrations of `account` a decision on `day` must see (`Registration.concernsDecisions`): every one
    /// that holds the customer, and the won or ended ones closed within `horizonDays`, however many it has.
    func registrations(of account: AccountID, concerningDecisionsOn day: CalendarDate, horizonDays: Int) throws
        -> [Registration]
    /// Every registration of `account`, oldest first.
    func registrations(of account: AccountID) throws -> [Registration]
    /// The account's stored state (its spellings not included: they are its registrations').
    func account(_ id: AccountID) throws -> Account?
    /// Every merged account and the account it went into.
    func mergedAccounts() throws -> [AccountID: AccountID]
    /// A page of accounts after `after` (by id): those with a spelling containing `customer` (lower case) when it
    /// is set, those with a doubt when `doubtfulOnly`.
    func accounts(after: String, limit: Int, customer: String, doubtfulOnly: Bool) throws -> [Account]
    /// The doubts naming `account` on either side.
    func doubts(of account: AccountID) throws -> [Dealreg_V1_AccountDoubt]
    /// The figures of each account of `ids` a listing shows.
    func accountFigures(_ ids: [AccountID]) throws -> [AccountID: AccountFigures]
    /// The newest signed head of the committed log.
    var ledgerHead: LedgerHead { get }
    /// The public keys the registry's heads may carry, the current one first.
    var keyring: LedgerKeyring { get }
    /// The chain hashes of events `seqs`, and of the event before each: what their receipts carry.
    func chainHashes(of seqs: [UInt64]) throws -> [UInt64: (chain: [UInt8], previous: [UInt8])]
    /// The chain hash of event `seq`, nil when the log has no such event.
    func chainHash(of seq: UInt64) throws -> [UInt8]?
    /// RFC 6962 proofs in the tree of `size` events: the inclusion of event `seq` (when > 0) and the consistency
    /// from `fromSize` (when > 0).
    func proofs(seq: UInt64, fromSize: UInt64, size: UInt64) throws -> (inclusion: [[UInt8]], consistency: [[UInt8]])
    /// Whether event `seq` concerns `party` (its feed has it).
    func concerns(_ party: PartyID, seq: UInt64) throws -> Bool
    /// Enforcement's heads the log witnesses, newest first, at most `newest`.
    func witnessedHeads(newest: Int) throws -> [LedgerHead]
    /// The reads of registration `id` the log recorded (its `access` events), newest first, at most `limit`.
    func accessLog(of id: RegistrationID, limit: Int) throws -> [Dealreg_V1_AccessEntry]
    /// Those of `ids` that `party` filed or holds.
    func registrations(_ ids: Set<RegistrationID>, filedOrHeldBy party: PartyID) throws -> Set<RegistrationID>
}

/// What an account listing shows of an account besides its state. A value; `Sendable`.
struct AccountFigures: Sendable {
    var registrations: Int
    /// Registrations holding an active exclusive protection.
    var protections: Int
    var doubts: Int
    /// Its first registration's customer: how the listing names it.
    var firstCustomer: Customer?
}

/// The counters a turn numbers on from: the last event seq, registration number and account number committed.
struct RegistryCounters: Sendable, Equatable {
    var seq: UInt64
    var registrationNumber: Int64
    var accountNumber: Int64
}
