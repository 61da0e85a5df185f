import DealLedger

extension LedgerHead {
    public var wire: Dealreg_V1_SignedHead {
        .with {
            $0.service = service
            $0.size = size
            $0.root = .init(root)
            $0.chainHash = .init(chainHash)
            $0.time = time
            $0.publicKey = .init(publicKey)
            $0.signature = .init(signature)
        }
    }

    /// The head a message carries; nil when a hash, key or signature has the wrong length.
    public init?(wire: Dealreg_V1_SignedHead) {
        guard wire.root.count == 32, wire.chainHash.count == 32, wire.publicKey.count == 32,
            wire.signature.count == 64
        else { return nil }
        self.init(
            service: wire.service, size: wire.size, root: Array(wire.root), chainHash: Array(wire.chainHash),
            time: wire.time, publicKey: Array(wire.publicKey), signature: Array(wire.signature))
    }
}

extension Dealreg_V1_Receipt {
    /// The receipt of entry `seq` with chain hash `hash` (after `previous`) under `head`.
    public init(seq: UInt64, hash: [UInt8], previous: [UInt8], head: LedgerHead) {
        self.init()
        self.seq = seq
        self.hash = .init(hash)
        previousHash = .init(previous)
        self.head = head.wire
    }
}

extension AuditPlan {
    /// The plan an audit request asks for, under the service's own `keyring`; a held head that is not one
    /// (a wrong length) is kept as an untrusted one, so the audit names it rather than skipping it.
    public init(wire: Dealreg_V1_AuditRequest, keyring: LedgerKeyring) {
        self.init(
            keyring: keyring,
            against: wire.against.map { held in
                HeadAudit.Held(
                    LedgerHead(wire: held.head)
                        ?? LedgerHead(
                            service: held.head.service, size: held.head.size, root: [], chainHash: [],
                            time: held.head.time),
                    source: held.source)
            },
            expectedSize: wire.expectedSize,
            cited: wire.cited.map { .init(registrationID: $0.registrationID, citedBy: $0.citedBy) })
    }
}
