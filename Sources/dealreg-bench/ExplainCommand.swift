import ArgumentParser
import DealBench
import DealModel
import Foundation
import Matching

/// `dealreg-bench explain`: how the matcher compares two records of a labelled CSV, field by field. A command;
/// not thread-safe (one run).
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score two records of a labelled CSV against each other and print the evidence and reasons.")

    @Argument(help: "A CSV file of labelled customers.") var file: String
    @Argument(help: "The rec_id of the new record.") var new: String
    @Argument(help: "The rec_id of the held record.") var held: String

    func run() throws {
        let records = try LabelledCustomers.read(URL(fileURLWithPath: file))
        guard let new = records.first(where: { $0.id == self.new }),
            let held = records.first(where: { $0.id == self.held })
        else { throw ValidationError("No record \(self.new) or \(self.held) in \(file).") }
        let scorer = CustomerScorer()
        let (a, b) = (NormalizedCustomer(new.customer), NormalizedCustomer(held.customer))
        for (label, customer) in [("new ", a), ("held", b)] {
            print(
                "\(label) name \(customer.coreTokens) generic \(customer.genericTokens) forms \(customer.legalForms) "
                    + "script '\(customer.script)' initials \(customer.initials) acronyms \(customer.acronyms) "
                    + "street \(customer.streetNumbers) \(customer.streetTokens) postal '\(customer.postalCode)' "
                    + "city '\(customer.city)' domain '\(customer.registrableDomain)' tax '\(customer.taxID)'")
        }
        let (score, reasons) = scorer.score(a, against: b)
        print("evidence \(scorer.compare(a, b).evidence)")
        print("score \(MatchReason.format(score)): \(reasons.map(\.description).joined(separator: ", "))")
        print("conclusive \(scorer.conclusiveEvidence(a, b).map(\.rawValue))")
    }
}
