import DealCSV
import DealModel
import Foundation

/// A customer record with the label saying which real customer it is. A value; `Sendable`.
public struct LabelledCustomer: Sendable, Hashable {
    public var id: String
    /// Records with the same cluster are the same customer.
    public var cluster: String
    public var customer: Customer
}

/// Reads labelled customers from CSV: `rec_id, company_name, street, city, postal_code, region, country,
/// web_domain, [tax_id,] cluster_id`, in registration order.
public enum LabelledCustomers {
    public static func read(_ file: URL) throws -> [LabelledCustomer] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var records = CSVReader.records(text)
        guard !records.isEmpty else { return [] }
        let header = records.removeFirst().fields
        func column(_ names: String...) -> Int? { names.lazy.compactMap { header.firstIndex(of: $0) }.first }
        guard let id = column("rec_id", "id"), let name = column("company_name", "customer_name", "legal_name"),
            let cluster = column("cluster_id", "cluster"), let country = column("country")
        else { throw BenchError("\(file.path) lacks rec_id, company_name, country or cluster_id") }
        let street = column("street")
        let city = column("city")
        let postal = column("postal_code")
        let region = column("region")
        let domain = column("web_domain")
        let tax = column("tax_id")
        return records.map { record in
            let fields = record.fields
            func value(_ index: Int?) -> String { index.flatMap { $0 < fields.count ? fields[$0] : nil } ?? "" }
            return LabelledCustomer(
                id: value(id), cluster: value(cluster),
                customer: Customer(
                    legalName: value(name), street: value(street), city: value(city), postalCode: value(postal),
                    region: value(region), country: value(country).uppercased(), webDomain: value(domain),
                    taxID: value(tax)))
        }
    }
}

extension LabelledCustomers {
    /// The tables named: each file as given, each folder's `.csv` files in name order.
    public static func files(_ paths: [URL]) throws -> [URL] {
        try paths.flatMap { path -> [URL] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
                throw BenchError("\(path.path) does not exist")
            }
            guard isDirectory.boolValue else { return [path] }
            return try FileManager.default.contentsOfDirectory(atPath: path.path)
                .filter { $0.hasSuffix(".csv") }.sorted()
                .map { path.appendingPathComponent($0) }
        }
    }
}

/// A benchmark that cannot run, told as one sentence.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
