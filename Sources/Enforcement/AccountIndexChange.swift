import DealModel

/// One change to the index of accounts, as the registry's events make them and the store replays them: a
/// registration's customer is a spelling of its account, and an account event (a merge or a split) sets an open
/// account's spellings or removes a merged one. A value; `Sendable`.
enum AccountIndexChange: Sendable {
    case spelling(AccountID, Customer)
    case account(Account)
}
