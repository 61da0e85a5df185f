import DealModel
import Foundation

extension PartyKind {
    public init?(wire: Dealreg_V1_PartyKind) {
        switch wire {
        case .partner: self = .partner
        case .distributor: self = .distributor
        case .seller: self = .seller
        case .channelManager: self = .channelManager
        case .enforcementOfficer: self = .enforcementOfficer
        case .admin: self = .admin
        case .service: self = .service
        case .checkWorker: self = .checkWorker
        case .enforcementService: self = .enforcementService
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    public var wire: Dealreg_V1_PartyKind {
        switch self {
        case .partner: .partner
        case .distributor: .distributor
        case .seller: .seller
        case .channelManager: .channelManager
        case .enforcementOfficer: .enforcementOfficer
        case .admin: .admin
        case .service: .service
        case .checkWorker: .checkWorker
        case .enforcementService: .enforcementService
        }
    }
}

extension Outcome {
    public init?(wire: Dealreg_V1_Outcome) {
        switch wire {
        case .approved: self = .approved
        case .rejected: self = .rejected
        case .pendingReview: self = .pendingReview
        case .duplicate: self = .duplicate
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    public var wire: Dealreg_V1_Outcome {
        switch self {
        case .approved: .approved
        case .rejected: .rejected
        case .pendingReview: .pendingReview
        case .duplicate: .duplicate
        }
    }
}

extension RegistrationStatus {
    public init?(wire: Dealreg_V1_RegistrationStatus) {
        switch wire {
        case .approved: self = .approved
        case .rejected: self = .rejected
        case .pendingReview: self = .pendingReview
        case .won: self = .won
        case .lost: self = .lost
        case .expired: self = .expired
        case .withdrawn: self = .withdrawn
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    public var wire: Dealreg_V1_RegistrationStatus {
        switch self {
        case .approved: .approved
        case .rejected: .rejected
        case .pendingReview: .pendingReview
        case .won: .won
        case .lost: .lost
        case .expired: .expired
        case .withdrawn: .withdrawn
        }
    }
}

extension MatchReason {
    public init(wire: Dealreg_V1_MatchReason) {
        self.init(field: wire.field, similarity: wire.similarity, detail: wire.detail)
    }

    public var wire: Dealreg_V1_MatchReason {
        var wire = Dealreg_V1_MatchReason()
        wire.field = field
        wire.similarity = similarity
        wire.detail = detail
        return wire
    }
}

extension Match {
    public var wire: Dealreg_V1_Match {
        var wire = Dealreg_V1_Match()
        wire.registrationID = registrationID.rawValue
        wire.score = score
        wire.reasons = reasons.map(\.wire)
        wire.holderKind = holderKind.wire
        wire.tender = tender
        wire.overlappingProductLines = overlappingProductLines
        wire.accountID = accountID?.rawValue ?? ""
        return wire
    }

    public init?(wire: Dealreg_V1_Match) {
        guard let kind = PartyKind(wire: wire.holderKind) else { return nil }
        self.init(
            registrationID: RegistrationID(wire.registrationID), score: wire.score,
            reasons: wire.reasons.map(MatchReason.init(wire:)), holderKind: kind, tender: wire.tender,
            overlappingProductLines: wire.overlappingProductLines,
            accountID: wire.accountID.isEmpty ? nil : AccountID(wire.accountID)
        )
    }
}

extension Decision {
    public var wire: Dealreg_V1_Decision {
        var wire = Dealreg_V1_Decision()
        wire.registrationID = registrationID.rawValue
        wire.outcome = outcome.wire
        if let protectedUntil { wire.protectedUntil = protectedUntil.wire }
        if let reviewDue { wire.reviewDue = reviewDue.wire }
        wire.conflictingRegistrationID = conflictingRegistrationID?.rawValue ?? ""
        wire.matches = matches.map(\.wire)
        wire.explanation = explanation
        wire.decidedAt = decidedAt
        wire.policyVersion = policyVersion
        return wire
    }

    /// Nil when the wire decision lacks its outcome.
    public init?(wire: Dealreg_V1_Decision) {
        guard let outcome = Outcome(wire: wire.outcome) else { return nil }
        self.init(
            registrationID: RegistrationID(wire.registrationID), outcome: outcome,
            protectedUntil: wire.hasProtectedUntil ? CalendarDate(wire: wire.protectedUntil) : nil,
            reviewDue: wire.hasReviewDue ? CalendarDate(wire: wire.reviewDue) : nil,
            conflictingRegistrationID: wire.conflictingRegistrationID.isEmpty
                ? nil : RegistrationID(wire.conflictingRegistrationID),
            matches: wire.matches.compactMap(Match.init(wire:)), explanation: wire.explanation,
            decidedAt: wire.decidedAt, policyVersion: wire.policyVersion
        )
    }
}

extension Registration {
    public var wire: Dealreg_V1_Registration {
        var wire = Dealreg_V1_Registration()
        wire.id = id.rawValue
        wire.registrant = registrant.rawValue
        wire.holder = holder.rawValue
        wire.holderKind = holderKind.wire
        wire.request = request.wire
        wire.status = status.wire
        wire.decision = decision.wire
        if let closedOn { wire.closedOn = closedOn.wire }
        wire.extended = extended
        wire.accountID = account?.rawValue ?? ""
        return wire
    }

    /// A registration from the bytes a store keeps (its serialized wire form); nil when they do not decode.
    public init?(serialized bytes: Data) {
        guard let wire = try? Dealreg_V1_Registration(serializedBytes: bytes) else { return nil }
        self.init(wire: wire)
    }

    /// Nil when the wire registration is incomplete (a stored or replayed one never is).
    public init?(wire: Dealreg_V1_Registration) {
        guard let kind = PartyKind(wire: wire.holderKind), let status = RegistrationStatus(wire: wire.status),
            let request = try? DealRequest(wire: wire.request), let decision = Decision(wire: wire.decision)
        else { return nil }
        self.init(
            id: RegistrationID(wire.id), registrant: PartyID(wire.registrant), holder: PartyID(wire.holder),
            holderKind: kind, request: request, status: status, decision: decision,
            closedOn: wire.hasClosedOn ? CalendarDate(wire: wire.closedOn) : nil, extended: wire.extended,
            account: wire.accountID.isEmpty ? nil : AccountID(wire.accountID)
        )
    }
}

extension Party {
    public var wire: Dealreg_V1_Party {
        var wire = Dealreg_V1_Party()
        wire.id = id.rawValue
        wire.kind = kind.wire
        wire.name = name
        wire.country = country
        wire.tier = tier
        wire.publicKey = publicKey
        wire.standing = standing.wire
        return wire
    }

    public init?(wire: Dealreg_V1_Party) {
        guard let kind = PartyKind(wire: wire.kind) else { return nil }
        let standing = PartyStanding(wire: wire.standing) ?? .active
        self.init(
            id: PartyID(wire.id), kind: kind, name: wire.name, country: wire.country, tier: wire.tier,
            publicKey: wire.publicKey, standing: standing
        )
    }
}

extension PartyStanding {
    public var wire: Dealreg_V1_PartyStanding {
        switch self {
        case .active: .active
        case .suspended: .suspended
        case .expelled: .expelled
        case .benefitsLost: .benefitsLost
        }
    }

    /// Nil for an unspecified or unknown standing.
    public init?(wire: Dealreg_V1_PartyStanding) {
        switch wire {
        case .active: self = .active
        case .suspended: self = .suspended
        case .expelled: self = .expelled
        case .benefitsLost: self = .benefitsLost
        default: return nil
        }
    }
}
