/// What a principal is in the program; decides what it may do and how conflicts are explained.
public enum PartyKind: String, Sendable, Hashable, CaseIterable, Codable {
    case partner, distributor, seller
    case channelManager = "channel-manager"
    case enforcementOfficer = "enforcement-officer"
    case admin
    /// An integration of the vendor's (an ERP or CRM booking system): records bookings, reads the feed.
    case service
    /// A conflict-check worker process: takes checks, follows the event log.
    case checkWorker = "check-worker"
    /// The enforcement process: follows the event log, sets parties' standing.
    case enforcementService = "enforcement-service"

    /// The kind in a sentence ("channel manager", "integration service").
    public var label: String {
        switch self {
        case .service: "integration service"
        default: rawValue.split(separator: "-").joined(separator: " ")
        }
    }

    /// Kinds that are processes rather than people or companies: they have no standing and register nothing.
    public var isService: Bool { self == .service || self == .checkWorker || self == .enforcementService }

    /// Partners and distributors are the channel; sellers are the vendor's direct sales.
    public var isChannel: Bool { self == .partner || self == .distributor }

    /// The vendor's people and integrations, whose reads of partners' registrations the registry records: channel
    /// managers, officers, admins, sellers and integration services. The cluster's own processes (check workers,
    /// enforcement) replicate the log; they are not readers.
    public var isVendorSide: Bool {
        switch self {
        case .channelManager, .enforcementOfficer, .admin, .seller, .service: true
        case .partner, .distributor, .checkWorker, .enforcementService: false
        }
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
public struct Party: Sendable, Hashable {
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

/// A bootstrap file's party: `id`, `kind` and the public key (`public_key`, as in key files, or `publicKey`) are
/// required; `name` defaults to the id, `country` and `tier` to empty, `standing` to active. Written with
/// `public_key`.
extension Party: Codable {
    private enum Keys: String, CodingKey {
        case id, kind, name, country, tier, standing
        case publicKey = "public_key"
        case camelPublicKey = "publicKey"
    }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: Keys.self)
        let id = try fields.decode(PartyID.self, forKey: .id)
        guard
            let publicKey = try fields.decodeIfPresent(String.self, forKey: .publicKey)
                ?? fields.decodeIfPresent(String.self, forKey: .camelPublicKey)
        else {
            throw DecodingError.keyNotFound(
                Keys.publicKey, .init(codingPath: fields.codingPath, debugDescription: "party \(id) has no public_key"))
        }
        self.init(
            id: id, kind: try fields.decode(PartyKind.self, forKey: .kind),
            name: try fields.decodeIfPresent(String.self, forKey: .name) ?? id.rawValue,
            country: try fields.decodeIfPresent(String.self, forKey: .country) ?? "",
            tier: try fields.decodeIfPresent(String.self, forKey: .tier) ?? "", publicKey: publicKey,
            standing: try fields.decodeIfPresent(PartyStanding.self, forKey: .standing) ?? .active)
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: Keys.self)
        try fields.encode(id, forKey: .id)
        try fields.encode(kind, forKey: .kind)
        try fields.encode(name, forKey: .name)
        try fields.encode(country, forKey: .country)
        try fields.encode(tier, forKey: .tier)
        try fields.encode(publicKey, forKey: .publicKey)
        try fields.encode(standing, forKey: .standing)
    }
}
