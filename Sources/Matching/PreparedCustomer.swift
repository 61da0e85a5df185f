import DealModel

/// A customer prepared once for every index it goes into or is looked up in: normalised, packed for the scorer,
/// and its blocking keys computed. The registry and enforcement search two indexes per decision (the committed
/// changes and the turn's own) and index each decision twice (in the turn, then once committed); preparing the
/// customer once keeps that to one normalisation, one packing and one key set. A value; `Sendable`.
public struct PreparedCustomer: Sendable {
    public let normalized: NormalizedCustomer
    let packed: PackedCustomer
    let keys: Set<UInt64>

    public init(_ normalized: NormalizedCustomer) {
        self.normalized = normalized
        packed = PackedCustomer(normalized)
        keys = BlockingKeys.keys(of: normalized)
    }

    public init(_ customer: Customer) {
        self.init(NormalizedCustomer(customer))
    }
}
