import DealLedger
import DealModel

/// What enforcement's core reads of its durable state: lookups answered from committed records. The core never
/// writes through it; it hands its changes to the shell as `EnforcementAction.write`. `EnforcementStore` is the
/// one implementation (on a file in service, in memory in the core's unit tests). Used from the reactor thread
/// only.
protocol EnforcementRecords: AnyObject {
    /// The last registry event recorded: a restart resumes after it.
    func cursor() throws -> UInt64
    /// The parties the registry's events named, with their kind and current key.
    func parties() throws -> [Party]
    func registration(_ id: RegistrationID) throws -> Registration?
    /// The status registration `id` was last published in, and whether enforcement watches it (`isWatched`); nil
    /// for one it never saw. Reads no body.
    func registrationStatus(_ id: RegistrationID) throws -> (status: RegistrationStatus, watched: Bool)?
    /// The watched registrations naming one of `accounts`, as last published.
    func watchedRegistrations(ofAccounts accounts: Set<AccountID>) throws -> [Registration]
    /// The watched registrations that name no account (a store from before accounts, until the registry groups
    /// them).
    func watchedRegistrationsWithoutAccount() throws -> [Registration]
    /// The registrations waiting for a channel manager's review.
    func registrationsInReview() throws -> [Registration]
    /// How many registrations enforcement watches.
    func watchedCount() throws -> Int
    /// How each registrant's registrations ended (`ClosingRecord`), counted from their statuses as stored.
    func closingRecords() throws -> [PartyID: ClosingRecord]
    /// The changes to the index of accounts the rows written after event `seq` hold (nil: every row), in the order
    /// of the events that wrote them: each registration naming an account, as a spelling of it, and each account.
    func accountIndexChanges(after seq: UInt64?, _ visit: (AccountIndexChange) throws -> Void) throws
    /// Every account the registry's events left merged, and the account it went into.
    func mergedAccounts() throws -> [AccountID: AccountID]
    /// Every recorded booking, to index them again at start.
    func bookings() throws -> [Booking]
    func booking(_ order: OrderID) throws -> Booking?
    func bookingAnswer(_ order: OrderID) throws -> BookingAnswer?
    /// The numbers of the last violation and the last sanction recorded.
    func lastNumbers() throws -> (violation: Int64, sanction: Int64)
    func hasViolation(_ type: ViolationType, party: PartyID) throws -> Bool
    /// Whether a violation of `type` already ties `order` to `registration` (a replayed event finds it).
    func hasViolation(_ type: ViolationType, order: OrderID, registration: RegistrationID) throws -> Bool
    /// A page of violations, of `party` only when given, in detection order.
    func violations(party: PartyID?, afterNumber: Int64, limit: Int) throws -> [DetectedViolation]
    func enforcementCase(_ id: ViolationID) throws -> EnforcementCase?
    /// A page of cases in id (detection) order after `after`, of `party` and in `state` only when given.
    func cases(party: PartyID?, state: EnforcementCase.State?, after: ViolationID, limit: Int) throws
        -> [EnforcementCase]
    /// How many of `party`'s cases stand (`State.isStanding`): the rung of its sanctions ladder reached.
    func standingCases(of party: PartyID) throws -> Int
    func sanction(_ id: SanctionID) throws -> Sanction?
    /// Sanctions of `party` (nil: all), oldest first; `unapplied`: only those the registry has yet to apply;
    /// `active`: only those in force.
    func sanctions(party: PartyID?, unapplied: Bool, active: Bool) throws -> [Sanction]
    func escalations() throws -> [Escalation]
    /// The newest signed head of the committed ledger.
    var ledgerHead: LedgerHead { get }
    /// The public keys enforcement's heads may carry, the current one first.
    var keyring: LedgerKeyring { get }
    /// The registry's heads the ledger witnesses, newest first, at most `newest`.
    func witnessedHeads(newest: Int) throws -> [LedgerHead]
    /// The registrations the newest violations cite, newest first, at most `newest`.
    func citations(newest: Int) throws -> [AuditPlan.Citation]
}
