import DealWire

/// What a typed client of any dealreg service's api shares: the `Stats`, `Audit`, `Heads` and `Backup` RPCs both services
/// answer the same way. Conformers are not thread-safe: one thread uses each, as its socket demands.
public protocol ServiceClient {
    /// The DEALER underneath, for pipelined requests (`send` and `receive`) and raw frames.
    var bus: BusClient { get }
}

extension ServiceClient {
    /// Counters, gauges and latency histograms of the service.
    public func stats(
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_StatsReply {
        try bus.call(RegistryClient.Method.stats, .init(), requestID: requestID, timeout: timeout)
    }

    /// Recomputes the service's tamper-evident ledger and holds it to its signed heads and to `request`'s (the
    /// other service's witness, a published file); a long ledger wants a long `timeout`.
    public func audit(
        _ request: Dealreg_V1_AuditRequest = .init(), requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_AuditReply {
        try bus.call(RegistryClient.Method.audit, request, requestID: requestID, timeout: timeout)
    }

    /// The service's newest signed head, its ledger keys, the other service's heads it witnessed, and for
    /// enforcement its cursor and citations (admins, officers).
    public func heads(
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_HeadsReply {
        try bus.call(RegistryClient.Method.heads, .init(), requestID: requestID, timeout: timeout)
    }

    /// One chunk of a consistent copy of the service's database (admins): without `backupID` the service makes the
    /// copy and answers with its first chunk; with it, the chunk at `offset` of that copy.
    public func backup(
        _ request: Dealreg_V1_BackupRequest = .init(), requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_BackupReply {
        try bus.call(RegistryClient.Method.backup, request, requestID: requestID, timeout: timeout)
    }
}
