import DealModel

extension Customer {
    /// Takes the wire customer, trimming spaces and upper-casing the country.
    public init(wire: Dealreg_V1_Customer) {
        self.init(
            legalName: wire.legalName.trimmedSpaces, street: wire.street.trimmedSpaces, city: wire.city.trimmedSpaces,
            postalCode: wire.postalCode.trimmedSpaces, region: wire.region.trimmedSpaces,
            country: wire.country.trimmedSpaces.uppercased(), webDomain: wire.webDomain.trimmedSpaces,
            taxID: wire.taxID.trimmedSpaces
        )
    }

    public var wire: Dealreg_V1_Customer {
        var wire = Dealreg_V1_Customer()
        wire.legalName = legalName
        wire.street = street
        wire.city = city
        wire.postalCode = postalCode
        wire.region = region
        wire.country = country
        wire.webDomain = webDomain
        wire.taxID = taxID
        return wire
    }
}

extension String {
    var trimmedSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
