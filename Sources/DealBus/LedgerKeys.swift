import DealLedger
import Foundation

/// How a service finds its ledger key at start.
public enum LedgerKeys {
    /// The key in `file`; created when missing while the database has no signed head yet (a first start, or a store
    /// from before signed heads). A service whose database was signed before and whose key is gone does not start:
    /// a fresh key would sign on as if nothing happened, and every earlier head would then read as forged.
    public static func load(_ file: URL, service: String, signedBefore: Bool) throws -> LedgerKey {
        if !signedBefore || FileManager.default.fileExists(atPath: file.path) {
            return try LedgerKey.loadOrCreate(file, service: service)
        }
        throw LedgerKeyError(
            "The \(service)'s ledger key \(file.path) is missing, but its database holds heads it signed. Nothing was "
                + "created: restore the key file from a backup, or make a new one with `dealreg keys ledger "
                + "\(service) --file \(file.path) --new` (earlier heads then verify only against the old public "
                + "key, which the new file lists as retired if you give it with --retire).")
    }
}
