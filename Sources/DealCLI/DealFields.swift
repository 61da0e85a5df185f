import DealModel
import DealWire

/// The fields of one opportunity as text, from flags or a CSV row, turned into a wire request.
struct DealFields {
    var ref = ""
    var customerName = ""
    var street = ""
    var city = ""
    var postalCode = ""
    var region = ""
    var country = ""
    var webDomain = ""
    var taxID = ""
    var productLines: [String] = []
    var amount = ""
    var currency = ""
    var closeDate = ""
    var tender = false
    var onBehalfOf = ""
    var description = ""
    var tenderReference = ""
    var tenderNoticeURL = ""

    /// The request, or the field that cannot be put on the wire (the registry validates the rest).
    func request() throws(DealModel.ValidationError) -> Dealreg_V1_RegisterDealRequest {
        let currencyCode = currency.uppercased()
        guard !amount.isEmpty else { throw .missing("amount", "The amount is required.") }
        guard !currencyCode.isEmpty else { throw .missing("amount.currency", "The currency is required.") }
        guard ISOCodes.minorUnitDigits(currency: currencyCode) != nil else {
            throw .invalid("amount.currency", "'\(currency)' is not an ISO 4217 currency code.")
        }
        guard let money = Money(decimal: amount, currency: currencyCode) else {
            throw .invalid("amount", "'\(amount)' is not a positive decimal amount in \(currencyCode).")
        }
        guard !closeDate.isEmpty else { throw .missing("expected_close", "The expected close date is required.") }
        guard let close = CalendarDate(iso: closeDate) else {
            throw .invalid("expected_close", "'\(closeDate)' is not a date (YYYY-MM-DD).")
        }
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer =
            Customer(
                legalName: customerName, street: street, city: city, postalCode: postalCode, region: region,
                country: country, webDomain: webDomain, taxID: taxID
            ).wire
        request.productLines = productLines.filter { !$0.isEmpty }
        request.amount = money.wire
        request.expectedClose = close.wire
        request.tender = tender
        request.onBehalfOf = onBehalfOf
        request.registrantReference = ref
        request.description_p = description
        request.tenderReference = tenderReference
        request.tenderNoticeURL = tenderNoticeURL
        return request
    }
}
