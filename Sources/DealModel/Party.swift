/// What a principal is in the program; decides what it may do and how conflicts are explained.
public enum PartyKind: String, Sendable, Hashable, CaseIterable, Codable {
    case partner, distributor, seller
    case channelManager = "channel-manager"
    case enforcementOfficer = "enforcement-officer"
    case admin, service

    /// Partners and distributors are the channel; sellers are the vendor's direct sales.
    public var isChannel: Bool { self == .partner || self == .distributor }
    /// Kinds that may file registrations.
    public var mayRegister: Bool { self == .partner || self == .distributor || self == .seller }
    /// Kinds that see every registration.
    public var seesAllRegistrations: Bool {
        self == .channelManager || self == .enforcementOfficer || self == .admin
    }
}

/// Whether a principal is in good standing; sanctions change it. A party that lost its benefits still registers,
/// but every registration goes to review, its protection is the base term and it cannot be extended; a suspended
/// or expelled party cannot register at all.
public enum PartyStanding: String, Sendable, Hashable, Codable {
    case active, suspended, expelled
    case benefitsLost = "benefits-lost"

    /// Whether the registry takes this party's registrations.
    public var mayRegister: Bool { self == .active || self == .benefitsLost }
}

/// A principal of the program, known by its CURVE public key (Z85 text). A value; `Sendable`.
public struct Party: Sendable, Hashable, Codable {
    public var id: PartyID
    public var kind: PartyKind
    public var name: String
    public var country: String
    public var tier: String
    public var publicKey: String
    public var standing: PartyStanding

    public init(
        id: PartyID, kind: PartyKind, name: String, country: String = "", tier: String = "", publicKey: String,
        standing: PartyStanding = .active
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.country = country
        self.tier = tier
        self.publicKey = publicKey
        self.standing = standing
    }
}
