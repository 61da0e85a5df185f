/// A two-tier relationship between a distributor and one of its resellers (a partner), and its life: proposed by
/// one side, accepted by the other, ended by either side or by the vendor. While it is active the distributor may
/// register deals on behalf of the reseller, who holds them. A value; `Sendable`.
public struct PartyLink: Sendable, Hashable {
    /// The two parties of a link, the key of its record. A value; `Sendable`.
    public struct Pair: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var distributor: PartyID
        public var reseller: PartyID

        public init(distributor: PartyID, reseller: PartyID) {
            self.distributor = distributor
            self.reseller = reseller
        }

        public var description: String { "\(distributor) → \(reseller)" }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.distributor, lhs.reseller) < (rhs.distributor, rhs.reseller)
        }

        /// The party on `side` of the pair.
        public func party(on side: Side) -> PartyID { side == .distributor ? distributor : reseller }

        /// Whether `party` is one of the pair.
        public func concerns(_ party: PartyID) -> Bool { distributor == party || reseller == party }
    }

    /// Which side of a link a party is.
    public enum Side: String, Sendable, Hashable {
        case distributor, reseller

        public var other: Side { self == .distributor ? .reseller : .distributor }
    }

    /// Where a link stands: a proposal waits for the other side; an ended link may be proposed again.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case proposedByDistributor = "proposed-by-distributor"
        case proposedByReseller = "proposed-by-reseller"
        case active, ended

        /// The state of a proposal made by `side`.
        public static func proposed(by side: Side) -> State {
            side == .distributor ? .proposedByDistributor : .proposedByReseller
        }

        /// The side whose proposal waits for the other; nil unless proposed.
        public var proposer: Side? {
            switch self {
            case .proposedByDistributor: .distributor
            case .proposedByReseller: .reseller
            case .active, .ended: nil
            }
        }
    }

    /// Why a step cannot be taken on a link in its current state (the registry answers each with its code).
    public enum Refusal: Error, Sendable, Hashable {
        /// The link is active already: nothing to propose or accept.
        case alreadyActive
        /// `side` proposed it already and the other side has yet to accept.
        case alreadyProposed(by: Side)
        /// There is no proposal to accept: no link, or an ended one.
        case notProposed
        /// The accepting side is the one that proposed: only the other side accepts.
        case ownProposal
        /// There is nothing to end: no link, or an ended one.
        case notLinked
    }

    public var pair: Pair
    public var state: State
    public var proposedBy: PartyID
    /// Seconds since the Unix epoch.
    public var proposedAt: Int64
    public var acceptedBy: PartyID?
    public var acceptedAt: Int64?
    public var endedBy: PartyID?
    public var endedAt: Int64?
    /// The reason given with the latest step, may be empty.
    public var reason: String

    public init(
        pair: Pair, state: State, proposedBy: PartyID, proposedAt: Int64, acceptedBy: PartyID? = nil,
        acceptedAt: Int64? = nil, endedBy: PartyID? = nil, endedAt: Int64? = nil, reason: String = ""
    ) {
        self.pair = pair
        self.state = state
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.acceptedBy = acceptedBy
        self.acceptedAt = acceptedAt
        self.endedBy = endedBy
        self.endedAt = endedAt
        self.reason = reason
    }

    /// Whether the distributor may register on behalf of the reseller now.
    public var isActive: Bool { state == .active }

    /// Whether `party` is one of the link's two sides.
    public func concerns(_ party: PartyID) -> Bool { pair.concerns(party) }
}

extension PartyLink {
    /// `actor`, on `side` of `pair`, proposes the link at `time`: a new proposal where there is none or the last one
    /// ended, the acceptance where the other side proposed it already.
    public static func proposing(
        _ existing: PartyLink?, pair: Pair, side: Side, actor: PartyID, at time: Int64, reason: String
    ) throws(Refusal) -> PartyLink {
        switch existing?.state {
        case nil, .ended?:
            return PartyLink(
                pair: pair, state: .proposed(by: side), proposedBy: actor, proposedAt: time, reason: reason)
        case .active?:
            throw .alreadyActive
        case let state?:
            guard state.proposer != side, let existing else { throw .alreadyProposed(by: side) }
            return try existing.accepted(by: side, actor: actor, at: time, reason: reason)
        }
    }

    /// The link once `actor`, on `side`, accepted the other side's proposal at `time`.
    public func accepted(by side: Side, actor: PartyID, at time: Int64, reason: String) throws(Refusal) -> PartyLink {
        guard let proposer = state.proposer else { throw state == .active ? .alreadyActive : .notProposed }
        guard proposer != side else { throw .ownProposal }
        var accepted = self
        accepted.state = .active
        accepted.acceptedBy = actor
        accepted.acceptedAt = time
        accepted.reason = reason
        return accepted
    }

    /// The link once `actor` ended it (or withdrew or declined its proposal) at `time`.
    public func ended(by actor: PartyID, at time: Int64, reason: String) throws(Refusal) -> PartyLink {
        guard state != .ended else { throw .notLinked }
        var ended = self
        ended.state = .ended
        ended.endedBy = actor
        ended.endedAt = time
        ended.reason = reason
        return ended
    }
}
