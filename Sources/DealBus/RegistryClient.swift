import DealModel
import DealWire
import ZeroMQ

/// A client of the registry's `api` socket with one method per RPC of the `Registry` service
/// (`proto/dealreg/v1/registry.proto`; `stats`, `audit` and `backup` come with `ServiceClient`), each returning
/// its typed reply or throwing `ClientError` (`.remote` for the registry's typed error). A value over one
/// `BusClient`; not thread-safe: one thread uses it, as the socket demands. `requestID` is also the idempotency key
/// of the changes (register, transition, parties, standing, keys, links, account merges and splits).
public struct RegistryClient: ServiceClient {
    public let bus: BusClient

    public init(_ bus: BusClient) { self.bus = bus }

    /// Connects to the registry's api at `endpoint` with CURVE.
    public init(context: Context, endpoint: String, serverKey: CurveKey, keyPair: CurveKeyPair) throws(ClientError) {
        bus = try BusClient(context: context, endpoint: endpoint, serverKey: serverKey, keyPair: keyPair)
    }

    public func registerDeal(
        _ request: Dealreg_V1_RegisterDealRequest, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_RegisterDealReply {
        try bus.call(Method.registerDeal, request, requestID: requestID, timeout: timeout)
    }

    public func getRegistration(
        _ registrationID: String, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_GetRegistrationReply {
        try bus.call(
            Method.getRegistration, .with { $0.registrationID = registrationID }, requestID: requestID,
            timeout: timeout)
    }

    /// One page of the registrations the principal may see; `nextAfterID` of the reply asks for the next one.
    /// `account`, when given, keeps only that account's registrations (it sets the request's `accountID`).
    public func listRegistrations(
        _ request: Dealreg_V1_ListRegistrationsRequest = .init(), account: AccountID? = nil,
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListRegistrationsReply {
        var request = request
        if let account { request.accountID = account.rawValue }
        return try bus.call(Method.listRegistrations, request, requestID: requestID, timeout: timeout)
    }

    public func addParty(
        _ party: Dealreg_V1_Party, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_AddPartyReply {
        try bus.call(Method.addParty, .with { $0.party = party }, requestID: requestID, timeout: timeout)
    }

    /// `resetLatency` (admins) starts the latency figures afresh after answering.
    public func status(
        resetLatency: Bool = false, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_StatusReply {
        try bus.call(Method.status, .with { $0.resetLatency = resetLatency }, requestID: requestID, timeout: timeout)
    }

    /// One step of a registration's lifecycle. `account`, for APPROVE or REJECT of a review, names the account the
    /// registration's customer is (its own account is merged into it); it sets the request's `accountID`.
    public func transition(
        _ request: Dealreg_V1_TransitionRequest, account: AccountID? = nil,
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_TransitionReply {
        var request = request
        if let account { request.accountID = account.rawValue }
        return try bus.call(Method.transition, request, requestID: requestID, timeout: timeout)
    }

    public func history(
        _ registrationID: String, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_HistoryReply {
        try bus.call(
            Method.history, .with { $0.registrationID = registrationID }, requestID: requestID, timeout: timeout)
    }

    /// The running policy; `reload` (admins) re-reads the policy file first.
    public func policy(
        reload: Bool = false, requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_PolicyReply {
        try bus.call(Method.policy, .with { $0.reload = reload }, requestID: requestID, timeout: timeout)
    }

    public func setStanding(
        _ request: Dealreg_V1_SetStandingRequest, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_SetStandingReply {
        try bus.call(Method.setStanding, request, requestID: requestID, timeout: timeout)
    }

    /// Rotates a party's key, or revokes it with an empty `publicKey`.
    public func setKey(
        _ request: Dealreg_V1_SetKeyRequest, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_SetKeyReply {
        try bus.call(Method.setKey, request, requestID: requestID, timeout: timeout)
    }

    public func listParties(
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListPartiesReply {
        try bus.call(Method.listParties, .init(), requestID: requestID, timeout: timeout)
    }

    /// One page of the events the principal may read, after `request.afterSeq`.
    public func feed(
        _ request: Dealreg_V1_FeedRequest = .init(), requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_FeedReply {
        try bus.call(Method.feed, request, requestID: requestID, timeout: timeout)
    }

    /// Proposes the two-tier link of `request` as the principal's side, or accepts it when the other side proposed.
    public func linkParties(
        _ request: Dealreg_V1_LinkPartiesRequest, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_LinkPartiesReply {
        try bus.call(Method.linkParties, request, requestID: requestID, timeout: timeout)
    }

    /// Accepts the other side's proposal of the link of `request`.
    public func acceptLink(
        _ request: Dealreg_V1_AcceptLinkRequest, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_AcceptLinkReply {
        try bus.call(Method.acceptLink, request, requestID: requestID, timeout: timeout)
    }

    /// Ends the link of `request`, or withdraws its proposal.
    public func unlinkParties(
        _ request: Dealreg_V1_UnlinkPartiesRequest, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_UnlinkPartiesReply {
        try bus.call(Method.unlinkParties, request, requestID: requestID, timeout: timeout)
    }

    /// The links the principal is a side of (every one, or `party`'s, for the vendor's people).
    public func listLinks(
        party: String = "", requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListLinksReply {
        try bus.call(Method.listLinks, .with { $0.party = party }, requestID: requestID, timeout: timeout)
    }

    /// An account with its newest registrations (at most 500; `registrationCount` says how many it has), its
    /// active protections, who manages it and its doubts.
    public func showAccount(
        _ id: AccountID, requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ShowAccountReply {
        try bus.call(Method.showAccount, .with { $0.accountID = id.rawValue }, requestID: requestID, timeout: timeout)
    }

    /// One page of accounts in id order after `after`, at most `limit` (0: the registry's 100), those with a
    /// spelling whose legal name contains `customer`, or only those with a doubt; `nextAfterID` asks for the next.
    public func listAccounts(
        after: AccountID? = nil, limit: UInt32 = 0, customer: String = "", doubtfulOnly: Bool = false,
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListAccountsReply {
        try bus.call(
            Method.listAccounts,
            .with {
                $0.afterID = after?.rawValue ?? ""
                $0.limit = limit
                $0.customer = customer
                $0.doubtfulOnly = doubtfulOnly
            }, requestID: requestID, timeout: timeout)
    }

    /// Merges `merging` into `into` with all its registrations; the reply holds `into` as it now stands.
    public func mergeAccounts(
        _ into: AccountID, merging: AccountID, reason: String, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_MergeAccountsReply {
        try bus.call(
            Method.mergeAccounts,
            .with {
                $0.accountID = into.rawValue
                $0.mergedAccountID = merging.rawValue
                $0.reason = reason
            }, requestID: requestID, timeout: timeout)
    }

    /// Who of the vendor's side read registration `registrationID`, newest first (at most 1,000): for its
    /// registrant, holder and filing distributor, and admins and officers.
    public func listAccess(
        _ registrationID: String, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ListAccessReply {
        try bus.call(
            Method.listAccess, .with { $0.registrationID = registrationID }, requestID: requestID, timeout: timeout)
    }

    /// Moves `registrations` out of account `id` into a new account; the reply holds the new one and what remains.
    public func splitAccount(
        _ id: AccountID, registrations: [RegistrationID], reason: String,
        requestID: String = BusClient.newRequestID(), timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_SplitAccountReply {
        try bus.call(
            Method.splitAccount,
            .with {
                $0.accountID = id.rawValue
                $0.registrationIds = registrations.map(\.rawValue)
                $0.reason = reason
            }, requestID: requestID, timeout: timeout)
    }
}

extension RegistryClient {
    /// Proofs under the registry's newest signed head: the inclusion of event `seq` with chain hash `hash` (when
    /// `seq` > 0) and the consistency of the tree of `fromSize` events with the current one (when > 0).
    public func prove(
        seq: UInt64 = 0, hash: [UInt8] = [], fromSize: UInt64 = 0, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ProveReply {
        try bus.call(
            Method.prove,
            .with {
                $0.seq = seq
                $0.hash = .init(hash)
                $0.fromSize = fromSize
            }, requestID: requestID, timeout: timeout)
    }

    /// Enforcement's head offered for the registry to witness; the answer is the registry's head (the enforcement
    /// service's key only).
    public func exchangeHeads(
        _ head: Dealreg_V1_SignedHead, requestID: String = BusClient.newRequestID(),
        timeout: Duration = BusClient.defaultTimeout
    ) throws(ClientError) -> Dealreg_V1_ExchangeHeadsReply {
        try bus.call(Method.exchangeHeads, .with { $0.head = head }, requestID: requestID, timeout: timeout)
    }
}

extension RegistryClient {
    /// The `Registry` service's RPCs as values, for pipelined use (`BusClient.send`, `BusMethod.decode`).
    public enum Method {
        public static let registerDeal = BusMethod<Dealreg_V1_RegisterDealRequest, Dealreg_V1_RegisterDealReply>(
            "RegisterDeal", request: { .registerDeal($0) },
            reply: { if case .registerDealReply(let reply) = $0 { reply } else { nil } })
        public static let getRegistration = BusMethod<
            Dealreg_V1_GetRegistrationRequest, Dealreg_V1_GetRegistrationReply
        >(
            "GetRegistration", request: { .getRegistration($0) },
            reply: { if case .getRegistrationReply(let reply) = $0 { reply } else { nil } })
        public static let listRegistrations = BusMethod<
            Dealreg_V1_ListRegistrationsRequest, Dealreg_V1_ListRegistrationsReply
        >(
            "ListRegistrations", request: { .listRegistrations($0) },
            reply: { if case .listRegistrationsReply(let reply) = $0 { reply } else { nil } })
        public static let addParty = BusMethod<Dealreg_V1_AddPartyRequest, Dealreg_V1_AddPartyReply>(
            "AddParty", request: { .addParty($0) },
            reply: { if case .addPartyReply(let reply) = $0 { reply } else { nil } })
        public static let status = BusMethod<Dealreg_V1_StatusRequest, Dealreg_V1_StatusReply>(
            "Status", request: { .status($0) }, reply: { if case .statusReply(let reply) = $0 { reply } else { nil } })
        public static let stats = BusMethod<Dealreg_V1_StatsRequest, Dealreg_V1_StatsReply>(
            "Stats", request: { .stats($0) }, reply: { if case .statsReply(let reply) = $0 { reply } else { nil } })
        public static let audit = BusMethod<Dealreg_V1_AuditRequest, Dealreg_V1_AuditReply>(
            "Audit", request: { .audit($0) }, reply: { if case .auditReply(let reply) = $0 { reply } else { nil } })
        public static let backup = BusMethod<Dealreg_V1_BackupRequest, Dealreg_V1_BackupReply>(
            "Backup", request: { .backup($0) }, reply: { if case .backupReply(let reply) = $0 { reply } else { nil } })
        public static let transition = BusMethod<Dealreg_V1_TransitionRequest, Dealreg_V1_TransitionReply>(
            "Transition", request: { .transition($0) },
            reply: { if case .transitionReply(let reply) = $0 { reply } else { nil } })
        public static let history = BusMethod<Dealreg_V1_HistoryRequest, Dealreg_V1_HistoryReply>(
            "History", request: { .history($0) },
            reply: { if case .historyReply(let reply) = $0 { reply } else { nil } })
        public static let policy = BusMethod<Dealreg_V1_PolicyRequest, Dealreg_V1_PolicyReply>(
            "Policy", request: { .policy($0) }, reply: { if case .policyReply(let reply) = $0 { reply } else { nil } })
        public static let setStanding = BusMethod<Dealreg_V1_SetStandingRequest, Dealreg_V1_SetStandingReply>(
            "SetStanding", request: { .setStanding($0) },
            reply: { if case .setStandingReply(let reply) = $0 { reply } else { nil } })
        public static let setKey = BusMethod<Dealreg_V1_SetKeyRequest, Dealreg_V1_SetKeyReply>(
            "SetKey", request: { .setKey($0) }, reply: { if case .setKeyReply(let reply) = $0 { reply } else { nil } })
        public static let listParties = BusMethod<Dealreg_V1_ListPartiesRequest, Dealreg_V1_ListPartiesReply>(
            "ListParties", request: { .listParties($0) },
            reply: { if case .listPartiesReply(let reply) = $0 { reply } else { nil } })
        public static let feed = BusMethod<Dealreg_V1_FeedRequest, Dealreg_V1_FeedReply>(
            "Feed", request: { .feed($0) }, reply: { if case .feedReply(let reply) = $0 { reply } else { nil } })
        public static let linkParties = BusMethod<Dealreg_V1_LinkPartiesRequest, Dealreg_V1_LinkPartiesReply>(
            "LinkParties", request: { .linkParties($0) },
            reply: { if case .linkPartiesReply(let reply) = $0 { reply } else { nil } })
        public static let acceptLink = BusMethod<Dealreg_V1_AcceptLinkRequest, Dealreg_V1_AcceptLinkReply>(
            "AcceptLink", request: { .acceptLink($0) },
            reply: { if case .acceptLinkReply(let reply) = $0 { reply } else { nil } })
        public static let unlinkParties = BusMethod<Dealreg_V1_UnlinkPartiesRequest, Dealreg_V1_UnlinkPartiesReply>(
            "UnlinkParties", request: { .unlinkParties($0) },
            reply: { if case .unlinkPartiesReply(let reply) = $0 { reply } else { nil } })
        public static let listLinks = BusMethod<Dealreg_V1_ListLinksRequest, Dealreg_V1_ListLinksReply>(
            "ListLinks", request: { .listLinks($0) },
            reply: { if case .listLinksReply(let reply) = $0 { reply } else { nil } })
        public static let showAccount = BusMethod<Dealreg_V1_ShowAccountRequest, Dealreg_V1_ShowAccountReply>(
            "ShowAccount", request: { .showAccount($0) },
            reply: { if case .showAccountReply(let reply) = $0 { reply } else { nil } })
        public static let listAccounts = BusMethod<Dealreg_V1_ListAccountsRequest, Dealreg_V1_ListAccountsReply>(
            "ListAccounts", request: { .listAccounts($0) },
            reply: { if case .listAccountsReply(let reply) = $0 { reply } else { nil } })
        public static let mergeAccounts = BusMethod<Dealreg_V1_MergeAccountsRequest, Dealreg_V1_MergeAccountsReply>(
            "MergeAccounts", request: { .mergeAccounts($0) },
            reply: { if case .mergeAccountsReply(let reply) = $0 { reply } else { nil } })
        public static let splitAccount = BusMethod<Dealreg_V1_SplitAccountRequest, Dealreg_V1_SplitAccountReply>(
            "SplitAccount", request: { .splitAccount($0) },
            reply: { if case .splitAccountReply(let reply) = $0 { reply } else { nil } })
        public static let prove = BusMethod<Dealreg_V1_ProveRequest, Dealreg_V1_ProveReply>(
            "Prove", request: { .prove($0) }, reply: { if case .proveReply(let reply) = $0 { reply } else { nil } })
        public static let exchangeHeads = BusMethod<Dealreg_V1_ExchangeHeadsRequest, Dealreg_V1_ExchangeHeadsReply>(
            "ExchangeHeads", request: { .exchangeHeads($0) },
            reply: { if case .exchangeHeadsReply(let reply) = $0 { reply } else { nil } })
        public static let heads = BusMethod<Dealreg_V1_HeadsRequest, Dealreg_V1_HeadsReply>(
            "Heads", request: { .heads($0) }, reply: { if case .headsReply(let reply) = $0 { reply } else { nil } })
        public static let listAccess = BusMethod<Dealreg_V1_ListAccessRequest, Dealreg_V1_ListAccessReply>(
            "ListAccess", request: { .listAccess($0) },
            reply: { if case .listAccessReply(let reply) = $0 { reply } else { nil } })
    }
}
