import ArgumentParser
import DealBus
import DealModel
import DealWire
import ZeroMQ

/// `dealreg register`: files one opportunity and prints the decision.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Register one opportunity and print the registry's decision.")

    @OptionGroup var client: ClientOptions
    @Option(help: "The customer's legal name.") var customer: String
    @Option(help: "ISO 3166-1 alpha-2 country of the customer.") var country: String
    @Option var street = ""
    @Option var city = ""
    @Option var postalCode = ""
    @Option var region = ""
    @Option(help: "The customer's web domain.") var domain = ""
    @Option(help: "The customer's tax (VAT) id.") var taxID = ""
    @Option(
        help: """
            Product lines of the policy's catalog, separated by commas: ids (storage/arrays), names or aliases \
            (`dealreg policy show` lists them); a line the catalog does not know is refused with the nearest ones.
            """) var products: String
    @Option(help: "Amount as a decimal, e.g. 125000.00.") var amount: String
    @Option(help: "ISO 4217 currency.") var currency: String
    @Option(help: "Expected close date, YYYY-MM-DD.") var closeDate: String
    @Flag(
        help: ArgumentHelp(
            "A public tender: open to every partner, never exclusive. Needs --tender-reference; one on a customer "
                + "another party holds goes to a channel manager's review.")) var tender = false
    @Option(help: "The public tender's reference, as its notice gives it (with --tender).") var tenderReference = ""
    @Option(help: "Where the tender notice is published, http or https (with --tender).") var tenderURL = ""
    @Option(help: "Distributors: the reseller this is filed for.") var onBehalfOf = ""
    @Option(help: "Your own reference for the opportunity.") var ref = ""
    @Option(help: "A description.") var description = ""
    @Option(help: "Idempotency key (default: a new one); repeat it to retry safely.") var requestID: String?
    @Option(
        help:
            "Write the decision's receipt here: proof, at any later time, that the registry recorded it (`audit prove`)."
    )
    var receipt: String?
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let fields = DealFields(
            ref: ref, customerName: customer, street: street, city: city, postalCode: postalCode, region: region,
            country: country, webDomain: domain, taxID: taxID,
            productLines: products.split(separator: ",").map { String($0) }, amount: amount, currency: currency,
            closeDate: closeDate, tender: tender, onBehalfOf: onBehalfOf, description: description,
            tenderReference: tenderReference, tenderNoticeURL: tenderURL)
        let line: DecisionLine
        do {
            let request = try fields.request()
            let context = try Context()
            let registry = try client.connect(context: context)
            let reply = try registry.registerDeal(
                request, requestID: requestID ?? BusClient.newRequestID(), timeout: .seconds(client.timeout))
            guard let decision = Decision(wire: reply.decision) else {
                throw ClientError.badReply("expected a decision")
            }
            var decided = DecisionLine(ref: ref.isEmpty ? nil : ref, decision: decision)
            if reply.hasReceipt {
                let kept = ReceiptJSON(registrationID: decision.registrationID.rawValue, reply.receipt)
                decided.receipt = kept
                if let receipt { try kept.write(to: receipt) }
            }
            line = decided
        } catch let error as DealModel.ValidationError {
            line = DecisionLine(ref: nil, error: error.wire)
        } catch ClientError.remote(let error) {
            line = DecisionLine(ref: nil, error: error)
        } catch {
            exitWithError(error)
        }
        print(json ? line.json : line.text)
        if line.error != nil { throw ExitCode(2) }
    }
}
