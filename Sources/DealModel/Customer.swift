/// The end customer of an opportunity, as the registrant spelled it. A value; `Sendable`.
public struct Customer: Sendable, Hashable, Codable {
    public var legalName: String
    public var street: String
    public var city: String
    public var postalCode: String
    public var region: String
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String
    public var webDomain: String
    public var taxID: String

    public init(
        legalName: String, street: String = "", city: String = "", postalCode: String = "", region: String = "",
        country: String, webDomain: String = "", taxID: String = ""
    ) {
        self.legalName = legalName
        self.street = street
        self.city = city
        self.postalCode = postalCode
        self.region = region
        self.country = country
        self.webDomain = webDomain
        self.taxID = taxID
    }
}
