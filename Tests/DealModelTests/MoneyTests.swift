import DealModel
import Testing

@Suite("Money")
struct MoneyTests {
    @Test(arguments: [
        ("125000.00", "EUR", Int64(12_500_000)),
        ("1250", "EUR", 125_000),
        ("0.5", "EUR", 50),
        ("0.05", "EUR", 5),
        ("0", "EUR", 0),
        ("007", "EUR", 700),
        ("1250", "JPY", 1250),
        ("1.234", "KWD", 1234),
        ("1.2", "KWD", 1200),
        ("0.001", "KWD", 1),
        ("92233720368547758.07", "EUR", Int64.max),
    ])
    func parsesDecimalTextIntoMinorUnits(text: String, currency: String, minorUnits: Int64) throws {
        let money = try #require(Money(decimal: text, currency: currency))
        #expect(money.minorUnits == minorUnits)
        #expect(money.currency == currency)
    }

    @Test(arguments: [
        ("12.345", "EUR"),  // more fraction digits than the currency has
        ("1250.5", "JPY"),  // JPY has no minor unit
        ("1.2345", "KWD"),
        ("-5", "EUR"),
        ("+5", "EUR"),
        ("abc", "EUR"),
        ("1e5", "EUR"),
        ("", "EUR"),
        (".50", "EUR"),
        ("12.", "EUR"),
        ("1.2.3", "EUR"),
        (" 12", "EUR"),
        ("12 ", "EUR"),
        ("1,250.00", "EUR"),
        ("١٢", "EUR"),  // Arabic-Indic digits are numbers, but not ASCII digits
        ("92233720368547758.08", "EUR"),  // one minor unit past Int64.max
        ("99999999999999999999", "JPY"),
        ("100", "XYZ"),  // unknown currency
        ("100", "eur"),  // codes are upper case
        ("100", ""),
    ])
    func rejectsTextThatIsNotAnAmountInTheCurrency(text: String, currency: String) {
        #expect(Money(decimal: text, currency: currency) == nil)
    }

    @Test(arguments: [
        (Int64(12_500_000), "EUR", "125000.00"),
        (5, "EUR", "0.05"),
        (0, "EUR", "0.00"),
        (-5, "EUR", "-0.05"),
        (-12_345, "EUR", "-123.45"),
        (1250, "JPY", "1250"),
        (1234, "KWD", "1.234"),
        (1, "KWD", "0.001"),
        (Int64.max, "EUR", "92233720368547758.07"),
        (Int64.min, "EUR", "-92233720368547758.08"),
    ])
    func formatsDecimalTextWithTheCurrencyMinorUnitDigits(minorUnits: Int64, currency: String, text: String) {
        #expect(Money(minorUnits: minorUnits, currency: currency).decimalText == text)
    }

    @Test(arguments: ["125000.00", "0.01", "1.00", "987654321.99"])
    func decimalTextRoundTripsThroughParsing(text: String) throws {
        let money = try #require(Money(decimal: text, currency: "EUR"))
        #expect(money.decimalText == text)
        #expect(Money(decimal: money.decimalText, currency: "EUR") == money)
    }
}
