import DealWire

/// What enforcement's core asks its shell to do, in order. A value; `Sendable`.
enum EnforcementAction: Sendable {
    /// Send `envelope` on the api socket to `route`.
    case reply(route: [[UInt8]], envelope: [UInt8])
    /// Commit these changes in one fsynced transaction, then report to `committed(...)` or `commitFailed(...)`.
    case write([EnforcementChange])
    /// Publish a committed case step, sanction or escalation on enforcement's events socket.
    case publish(topic: String, body: [UInt8])
    /// Send a request envelope to the registry's api (a party's standing).
    case sendRegistry([UInt8])
    /// Bind the events socket afresh: a key that could subscribe was revoked or replaced.
    case rebindEvents
    /// Follow the registry's events again from after `seq`, the committed cursor: events past it were handed
    /// over but their commit failed.
    case rewindEvents(to: UInt64)
    /// Verify the ledger off the reactor and answer `requestID` at `route`.
    case audit(route: [[UInt8]], requestID: String, Dealreg_V1_AuditRequest)
    /// Copy the database or read a chunk of a copy (`BackgroundBackups`), answering `requestID` at `route`.
    case backup(route: [[UInt8]], requestID: String, Dealreg_V1_BackupRequest)
    /// Every request in hand is answered: stop serving.
    case stop
}
