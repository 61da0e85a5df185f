import DealWire

/// What the registry's core asks its shell to do, in order. A value; `Sendable`.
enum RegistryAction: Sendable {
    /// Send `envelope` on the api socket to `route`.
    case reply(route: [[UInt8]], envelope: [UInt8])
    /// Send `envelope` on the sync socket to `route`.
    case replySync(route: [[UInt8]], envelope: [UInt8])
    /// Send a work message to the check worker `worker` (its routing id).
    case sendWork(worker: [UInt8], message: [UInt8])
    /// Commit these writes in one fsynced transaction, then report to `committed(...)` or `commitFailed(...)`.
    case write([RegistryWrite])
    /// Publish an event on the events socket.
    case publish(topic: String, event: [UInt8])
    /// Bind the events socket afresh: a key that could subscribe was revoked or replaced.
    case rebindEvents
    /// Verify the ledger off the reactor and answer `requestID` at `route`.
    case audit(route: [[UInt8]], requestID: String, Dealreg_V1_AuditRequest)
    /// Copy the database or read a chunk of a copy (`BackgroundBackups`), answering `requestID` at `route`.
    case backup(route: [[UInt8]], requestID: String, Dealreg_V1_BackupRequest)
    /// Read the policy file again and report to `policyLoaded(...)`.
    case reloadPolicy(route: [[UInt8]], requestID: String)
    /// Every request in hand is answered: stop serving.
    case stop
}
