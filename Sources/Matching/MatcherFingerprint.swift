import DealModel

/// What this build's matcher makes of a fixed set of hard customers (scripts, legal forms, addresses, domains,
/// tax ids), hashed: two builds that normalise, pack or key any of them differently have different fingerprints.
/// A snapshot of an index carries the fingerprint of the matcher that wrote it, and is read only by the same one.
/// Pure; `Sendable`.
public enum MatcherFingerprint {
    public static let value: UInt64 = {
        let probes = [
            Customer(
                legalName: "Müller & Söhne GmbH", street: "Hauptstraße 12a", city: "München", postalCode: "80331",
                region: "Bayern", country: "DE", webDomain: "www.mueller-soehne.de", taxID: "DE123456789"),
            Customer(
                legalName: "ACME Pty Ltd", street: "1/22 George St", city: "Sydney", postalCode: "2000", country: "AU"),
            Customer(legalName: "株式会社 山田商事", street: "千代田区丸の内1-1", city: "東京", country: "JP"),
            Customer(legalName: "Общество с ограниченной ответственностью «Ромашка»", city: "Москва", country: "RU"),
            Customer(
                legalName: "HSBC Bank plc (UK branch)", postalCode: "E14 5HQ", country: "GB", webDomain: "hsbc.co.uk"),
            Customer(legalName: "St. Mary's Hospital No. 3", street: "455 W 5th Ave", city: "New York", country: "US"),
        ]
        var hash = FNV1a()
        for probe in probes {
            let prepared = PreparedCustomer(probe)
            hash.combine(prepared.packed.bytes)
            for key in prepared.keys.sorted() { withUnsafeBytes(of: key.littleEndian) { hash.combine($0) } }
            hash.combine(0x1e)
        }
        return hash.value
    }()
}
