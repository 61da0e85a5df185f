import DealWire
import ZeroMQ

/// A client of enforcement's `api` socket with one method per RPC of the `Enforcement` service
/// (`proto/dealreg/v1/enforcement.proto`; `stats`, `audit` and `backup` come with `ServiceClient`), each
/// returning its typed reply or throwing `ClientError` (`.remote` for enforcement's typed error). A value over one
/// `BusClient`; not thread-safe: one thread uses it, as the socket demands.
public struct EnforcementClient: ServiceClient {
    public let bus: BusClient

    public init(_ bus: BusClient) { self.bus = bus }

    /// Connects to enforcement's api at `endpoint` with CURVE.
    public init(context: Context, endpoint: String, serverKey: CurveKey, keyPair: CurveKeyPair) throws(ClientError) {
        bus = try BusClient(context: context, endpoint: endpoint, serverKey: serverKey, keyPair: keyPair)
    }

    /// Enforcement's place in the registry's event log (`lastSeq`, `live`).
    public func status(
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_StatusReply {
        try bus.call(Method.status, .init(), requestID: requestID, timeout: timeout)
    }

    /// Records a booked order, idempotent by its order id, and returns what it violated.
    public func recordBooking(
        _ booking: Dealreg_V1_Booking, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_RecordBookingReply {
        try bus.call(Method.recordBooking, .with { $0.booking = booking }, requestID: requestID, timeout: timeout)
    }

    /// One page of violations; `nextAfterID` of the reply asks for the next one.
    public func listViolations(
        _ request: Dealreg_V1_ListViolationsRequest = .init(), requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListViolationsReply {
        try bus.call(Method.listViolations, request, requestID: requestID, timeout: timeout)
    }

    /// Shows a case (no action) or takes a step of due process on it.
    public func caseStep(
        _ request: Dealreg_V1_CaseRequest, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_CaseReply {
        try bus.call(Method.caseStep, request, requestID: requestID, timeout: timeout)
    }

    /// One page of cases; `nextAfterID` of the reply asks for the next one.
    public func listCases(
        _ request: Dealreg_V1_ListCasesRequest = .init(), requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListCasesReply {
        try bus.call(Method.listCases, request, requestID: requestID, timeout: timeout)
    }

    public func listSanctions(
        _ request: Dealreg_V1_ListSanctionsRequest = .init(), requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListSanctionsReply {
        try bus.call(Method.listSanctions, request, requestID: requestID, timeout: timeout)
    }

    public func liftSanction(
        _ request: Dealreg_V1_LiftSanctionRequest, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_LiftSanctionReply {
        try bus.call(Method.liftSanction, request, requestID: requestID, timeout: timeout)
    }

    public func listEscalations(
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListEscalationsReply {
        try bus.call(Method.listEscalations, .init(), requestID: requestID, timeout: timeout)
    }
}

extension EnforcementClient {
    /// The `Enforcement` service's RPCs as values, for pipelined use (`BusClient.send`, `BusMethod.decode`).
    public enum Method {
        // Status, Stats, Audit and Backup are the same messages in the same envelope cases at both services.
        public static let status = RegistryClient.Method.status
        public static let stats = RegistryClient.Method.stats
        public static let audit = RegistryClient.Method.audit
        public static let backup = RegistryClient.Method.backup
        public static let recordBooking = BusMethod<Dealreg_V1_RecordBookingRequest, Dealreg_V1_RecordBookingReply>(
            "RecordBooking", request: { .recordBooking($0) },
            reply: { if case .recordBookingReply(let reply) = $0 { reply } else { nil } })
        public static let listViolations = BusMethod<
            Dealreg_V1_ListViolationsRequest, Dealreg_V1_ListViolationsReply
        >(
            "ListViolations", request: { .listViolations($0) },
            reply: { if case .listViolationsReply(let reply) = $0 { reply } else { nil } })
        public static let caseStep = BusMethod<Dealreg_V1_CaseRequest, Dealreg_V1_CaseReply>(
            "CaseStep", request: { .caseRequest($0) },
            reply: { if case .caseReply(let reply) = $0 { reply } else { nil } })
        public static let listCases = BusMethod<Dealreg_V1_ListCasesRequest, Dealreg_V1_ListCasesReply>(
            "ListCases", request: { .listCases($0) },
            reply: { if case .listCasesReply(let reply) = $0 { reply } else { nil } })
        public static let listSanctions = BusMethod<Dealreg_V1_ListSanctionsRequest, Dealreg_V1_ListSanctionsReply>(
            "ListSanctions", request: { .listSanctions($0) },
            reply: { if case .listSanctionsReply(let reply) = $0 { reply } else { nil } })
        public static let liftSanction = BusMethod<Dealreg_V1_LiftSanctionRequest, Dealreg_V1_LiftSanctionReply>(
            "LiftSanction", request: { .liftSanction($0) },
            reply: { if case .liftSanctionReply(let reply) = $0 { reply } else { nil } })
        public static let listEscalations = BusMethod<
            Dealreg_V1_ListEscalationsRequest, Dealreg_V1_ListEscalationsReply
        >(
            "ListEscalations", request: { .listEscalations($0) },
            reply: { if case .listEscalationsReply(let reply) = $0 { reply } else { nil } })
    }
}
