/// What a request or a socket lets a principal do, as the authorisation matrix names it.
public enum Action: String, Sendable, Hashable, CaseIterable {
    // The registry's api.
    case register, showRegistration, listRegistrations, history, review, close, extend
    case showPolicy, reloadPolicy, addParty, listParties, setStanding, setKey, feed, status, resetMetrics, audit
    case stats, backup
    case linkParties, acceptLink, unlinkParties, listLinks
    case showAccount, listAccounts, mergeAccounts, splitAccount
    case prove, exchangeHeads, showHeads
    case listAccess
    // The registry's other sockets.
    case checkWork, subscribeEvents, replayLog
    // Enforcement's api and events.
    case recordBooking, listViolations, listCases, showCase, judgeCase, appealCase, listSanctions, liftSanction
    case listEscalations, subscribeCaseEvents

    /// What the action does, to end "A partner may not …".
    public var sentence: String {
        switch self {
        case .register: "register deals"
        case .showRegistration: "see registrations"
        case .listRegistrations: "list registrations"
        case .history: "see a registration's history"
        case .review: "decide reviews"
        case .close: "close or withdraw registrations"
        case .extend: "extend protections"
        case .showPolicy: "see the program policy"
        case .reloadPolicy: "reload the program policy"
        case .addParty: "add or change parties"
        case .listParties: "list parties"
        case .setStanding: "set a party's standing"
        case .setKey: "issue, rotate or revoke keys"
        case .feed: "read the event feed"
        case .status: "ask for the service's status"
        case .resetMetrics: "reset the latency figures"
        case .stats: "read the service's metrics"
        case .audit: "audit the ledger"
        case .backup: "back up the database"
        case .linkParties: "propose two-tier links"
        case .acceptLink: "accept two-tier links"
        case .unlinkParties: "end two-tier links"
        case .listLinks: "list two-tier links"
        case .showAccount: "see accounts"
        case .listAccounts: "list accounts"
        case .mergeAccounts: "merge accounts"
        case .splitAccount: "split accounts"
        case .prove: "ask for ledger proofs"
        case .exchangeHeads: "exchange signed ledger heads"
        case .showHeads: "read the signed ledger heads and what was witnessed"
        case .listAccess: "see who read a registration"
        case .checkWork: "take conflict checks"
        case .subscribeEvents: "subscribe to the registry's event stream"
        case .replayLog: "replay the event log"
        case .recordBooking: "record bookings"
        case .listViolations: "list violations"
        case .listCases: "list cases"
        case .showCase: "see cases"
        case .judgeCase: "decide cases"
        case .appealCase: "appeal cases"
        case .listSanctions: "list sanctions"
        case .liftSanction: "lift sanctions"
        case .listEscalations: "see escalations"
        case .subscribeCaseEvents: "subscribe to enforcement's event stream"
        }
    }
}

/// How far an action reaches for a principal: not at all, only what concerns the principal itself (the
/// registrations it filed or holds, its own cases and sanctions), or everything.
public enum Access: String, Sendable, Hashable, Comparable {
    case denied, own, all

    public static func < (lhs: Access, rhs: Access) -> Bool {
        let order: [Access] = [.denied, .own, .all]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// The authorisation matrix of every service, in one place: each service asks `access(_:_:)` once per request
/// (and its ZAP handler once per connection) and narrows to the principal's own records when the answer is `.own`.
/// Least privilege: a kind gets only what its job needs; anything not listed is denied.
public enum AccessPolicy {
    /// The kinds that file registrations (and see only theirs).
    private static let registrants: Set<PartyKind> = [.partner, .distributor, .seller]
    /// The vendor's people who see every registration.
    private static let overseers: Set<PartyKind> = [.channelManager, .enforcementOfficer, .admin]
    /// The two tiers of the channel: distributors and their resellers (partners).
    private static let channel: Set<PartyKind> = [.partner, .distributor]

    /// Who may do each action, and how far: kinds in `own` get `.own`, kinds in `all` get `.all`.
    private static let matrix: [Action: (own: Set<PartyKind>, all: Set<PartyKind>)] = [
        .register: (registrants, []),
        .showRegistration: (registrants, overseers),
        .listRegistrations: (registrants, overseers),
        .history: (registrants, overseers),
        .review: ([], [.channelManager, .admin]),
        .close: (registrants, [.admin]),
        .extend: (registrants, [.admin]),
        .showPolicy: ([], registrants.union(overseers)),
        .reloadPolicy: ([], [.admin]),
        .addParty: ([], [.admin]),
        .listParties: (registrants, overseers),
        .setStanding: ([], [.enforcementService, .admin]),
        .setKey: ([], [.admin]),
        .feed: (registrants, overseers.union([.service])),
        .status: (registrants, overseers.union([.service, .checkWorker, .enforcementService])),
        .resetMetrics: ([], [.admin]),
        // Monitoring reads volumes of every party: the vendor's operators and its monitoring integration.
        .stats: ([], [.enforcementOfficer, .admin, .service]),
        .audit: ([], [.enforcementOfficer, .admin]),
        // A copy of a whole database holds every party's records: the vendor's operators only.
        .backup: ([], [.admin]),
        // Two-tier links: only the two sides propose and accept (the registry holds `.own` to the principal being
        // the distributor or the reseller of the pair), so a distributor never files for a reseller that did not
        // agree; the vendor's people see them all, and channel managers and admins may end any, with a reason.
        .linkParties: (channel, []),
        .acceptLink: (channel, []),
        .unlinkParties: (channel, [.channelManager, .admin]),
        .listLinks: (channel, overseers),
        // An account gathers every party's registrations of one customer: the vendor's people only (a partner sees
        // its own registrations, and their account id, and nothing of the others').
        .showAccount: ([], overseers),
        .listAccounts: ([], overseers),
        .mergeAccounts: ([], [.channelManager, .admin]),
        .splitAccount: ([], [.channelManager, .admin]),
        // A receipt's holder asks the registry to prove its log still holds the entry (an event of its own
        // registrations, or a consistency proof alone); the vendor's auditors and integrations, any entry. Proofs
        // are hashes and reveal no party's records.
        // Enforcement checks that each registry head it witnesses extends the one before (a consistency proof).
        .prove: (registrants, overseers.union([.service, .enforcementService])),
        // Each service records the other's signed heads; only enforcement's key offers them.
        .exchangeHeads: ([], [.enforcementService]),
        // The witnessed heads and enforcement's citations are what an audit (and an outside witness) needs.
        .showHeads: ([], [.enforcementOfficer, .admin]),
        // Who of the vendor's side read a registration: its own side (registrant, holder, filing distributor) and
        // those who answer for the program's integrity; not the channel managers and integrations it watches.
        .listAccess: (registrants, [.enforcementOfficer, .admin]),
        .checkWork: ([], [.checkWorker]),
        .subscribeEvents: ([], [.checkWorker, .enforcementService, .admin]),
        .replayLog: ([], [.checkWorker, .enforcementService, .admin]),
        .recordBooking: ([], [.service, .enforcementOfficer, .admin]),
        .listViolations: (registrants, overseers),
        .listCases: (registrants, overseers),
        .showCase: (registrants, overseers),
        .judgeCase: ([], [.enforcementOfficer, .admin]),
        .appealCase: (registrants, []),
        .listSanctions: (registrants, overseers),
        .liftSanction: ([], [.enforcementOfficer, .admin]),
        .listEscalations: ([], overseers),
        .subscribeCaseEvents: ([], [.enforcementOfficer, .admin, .service]),
    ]

    public static func access(_ kind: PartyKind, _ action: Action) -> Access {
        guard let entry = matrix[action] else { return .denied }
        if entry.all.contains(kind) { return .all }
        return entry.own.contains(kind) ? .own : .denied
    }

    /// The sentence of a refusal: "A partner may not reload the program policy."
    public static func refusal(_ kind: PartyKind, _ action: Action) -> String {
        let article = "aeiou".contains(kind.rawValue.first ?? "x") ? "An" : "A"
        return "\(article) \(kind.label) may not \(action.sentence)."
    }
}
