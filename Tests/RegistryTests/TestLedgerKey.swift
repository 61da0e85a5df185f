import DealLedger

/// The ledger key of the stores the registry's tests open on files: one key, so a store opened again signs on
/// with it and its audit trusts what it kept.
let testLedgerKey = LedgerKey(service: "registry")
