/// One customer of the vendor, whatever its registrants called it: registrations hang off an account, the
/// one-winner rule holds per account and product line, and partner-managed status, incumbency and the
/// re-registration cooldown are read from the account's registrations. A value; `Sendable`.
public struct Account: Sendable, Hashable {
    /// Open, or merged into another account (whose registrations it then has).
    public enum State: Sendable, Hashable {
        case open
        case merged(into: AccountID)
    }

    /// How many spellings an account keeps for matching: its registrations' distinct customers in registration
    /// order, the first this many (the check workers' index holds them as one entry).
    public static let maximumSpellings = 32

    public var id: AccountID
    public var state: State
    /// The distinct customers of its registrations, in registration order, at most `maximumSpellings`.
    public var spellings: [Customer]
    /// The last merge or split that changed it: who, when (seconds since the epoch) and why; empty before any.
    public var actor: PartyID?
    public var changedAt: Int64
    public var reason: String

    public init(
        id: AccountID, state: State = .open, spellings: [Customer] = [], actor: PartyID? = nil, changedAt: Int64 = 0,
        reason: String = ""
    ) {
        self.id = id
        self.state = state
        self.spellings = spellings
        self.actor = actor
        self.changedAt = changedAt
        self.reason = reason
    }

    /// The account it went into, when merged.
    public var mergedInto: AccountID? {
        if case .merged(let into) = state { into } else { nil }
    }

    /// How people name it: its first spelling's legal name.
    public var displayName: String { spellings.first?.legalName ?? "" }
}

/// The active exclusive protections of one account, and the rule that no two of them overlap: what the registry's
/// store enforces per (account, product line) and a merge must keep. A value; `Sendable`.
public struct AccountProtections: Sendable {
    /// One active exclusive protection: a registration's line.
    public struct Held: Sendable, Hashable {
        public var productLine: String
        public var registration: Registration
    }

    public private(set) var held: [Held] = []

    /// The exclusive protections among `registrations` (`Registration.holdsExclusiveProtection`), line by line.
    public init(_ registrations: some Sequence<Registration>) {
        for registration in registrations where registration.holdsExclusiveProtection {
            for line in Set(registration.request.productLines).sorted() {
                held.append(Held(productLine: line, registration: registration))
            }
        }
    }

    /// Pairs of different registrations whose lines overlap under `catalog`: each would be a double protection of
    /// one account, the earlier registration first.
    public func overlaps(in catalog: ProductCatalog) -> [(Held, Held)] {
        var found: [(Held, Held)] = []
        for (index, a) in held.enumerated() {
            for b in held[(index + 1)...] where a.registration.id != b.registration.id {
                guard catalog.overlaps(a.productLine, b.productLine) else { continue }
                found.append(a.registration.id < b.registration.id ? (a, b) : (b, a))
            }
        }
        return found
    }
}
