import ArgumentParser
import DealBus
import DealCSV
import DealModel
import DealWire
import Foundation
import Histogram
import ZeroMQ

/// `dealreg import FILE.csv`: registers one opportunity per row, pipelining requests, streaming decisions.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Register one opportunity per CSV row, streaming one decision per row.",
        discussion: """
            Header names: ref, customer_name, street, city, postal_code, region, country, web_domain, tax_id,
            product_lines (separated by ';'), amount, currency, close_date, tender, tender_reference,
            tender_notice_url, on_behalf_of, description.
            Required: customer_name, country, product_lines, amount, currency, close_date. Each row's request id
            is derived from its text and number, so importing the same file again answers from the registry's
            records instead of registering twice.
            """)

    static let columns: Set<String> = [
        "ref", "customer_name", "street", "city", "postal_code", "region", "country", "web_domain", "tax_id",
        "product_lines", "amount", "currency", "close_date", "tender", "tender_reference", "tender_notice_url",
        "on_behalf_of", "description",
    ]
    static let required = ["customer_name", "country", "product_lines", "amount", "currency", "close_date"]

    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var client: ClientOptions
    @Option(help: "Requests in flight at once.") var window = 256
    @Flag(help: "Print JSON lines.") var json = false

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            exitWithError(AddressError("Cannot read \(file): \(error.localizedDescription)"))
        }
        var records = CSVReader.records(text)
        guard !records.isEmpty else { exitWithError(AddressError("\(file) is empty.")) }
        let header = records.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let unknown = header.first(where: { !Self.columns.contains($0) }) {
            exitWithError(
                AddressError(
                    "Unknown column '\(unknown)' in \(file); known: \(Self.columns.sorted().joined(separator: ", "))."))
        }
        if let missing = Self.required.first(where: { !header.contains($0) }) {
            exitWithError(AddressError("\(file) has no '\(missing)' column, which is required."))
        }
        let bus: BusClient
        do {
            bus = try client.connect(context: try Context()).bus
        } catch {
            exitWithError(error)
        }
        try importRows(records, header: header, bus: bus)
    }

    private func importRows(_ records: [(line: Int, fields: [String])], header: [String], bus: BusClient) throws {
        let clock = ContinuousClock()
        let start = clock.now
        var inFlight:
            [String: (row: Int, ref: String, sent: ContinuousClock.Instant, request: Dealreg_V1_RegisterDealRequest)] =
                [:]
        var latency = Histogram<UInt64>(highestTrackableValue: 600_000_000)
        var outcomes: [String: Int] = [:]
        var done = 0
        var lastProgress = clock.now
        var next = 0
        let total = records.count
        let method = RegistryClient.Method.registerDeal

        func emit(_ line: DecisionLine) {
            print(json ? line.json : line.text)
            outcomes[line.outcome ?? "ERROR", default: 0] += 1
            done += 1
        }

        while done < total {
            while next < total && inFlight.count < window {
                let record = records[next]
                let row = next + 1
                next += 1
                var values: [String: String] = [:]
                for (column, value) in zip(header, record.fields) { values[column] = value }
                let ref = values["ref"] ?? ""
                do {
                    let request = try Self.fields(values).request()
                    let requestID = "import-\(Self.digest(record.fields))-\(row)"
                    try bus.send(method, request, requestID: requestID)
                    inFlight[requestID] = (row, ref, clock.now, request)
                } catch let error as DealModel.ValidationError {
                    emit(DecisionLine(row: row, ref: ref, error: error.wire))
                }
            }
            guard !inFlight.isEmpty else { continue }
            let reply: WireEnvelope
            do {
                reply = try bus.receive(timeout: .seconds(client.timeout))
            } catch {
                exitWithError(error)
            }
            guard let pending = inFlight.removeValue(forKey: reply.requestID) else { continue }
            let answer = method.result(reply)
            // Over the rate limit, overloaded or unable to write: wait as told and send it again (same request_id).
            if case .failure(.remote(let error)) = answer, let delay = error.retryAfter {
                Thread.sleep(forTimeInterval: Figures.seconds(delay))
                try bus.send(method, pending.request, requestID: reply.requestID)
                inFlight[reply.requestID] = pending
                continue
            }
            let micros = pending.sent.duration(to: clock.now).components
            _ = latency.record(UInt64(micros.seconds) * 1_000_000 + UInt64(micros.attoseconds / 1_000_000_000_000))
            switch answer {
            case .success(let body):
                if let decision = Decision(wire: body.decision) {
                    emit(DecisionLine(row: pending.row, ref: pending.ref, decision: decision))
                } else {
                    emit(
                        DecisionLine(
                            row: pending.row, ref: pending.ref, code: "BAD_REPLY", message: "unreadable decision",
                            field: ""))
                }
            case .failure(.remote(let error)):
                emit(DecisionLine(row: pending.row, ref: pending.ref, error: error))
            case .failure:
                emit(
                    DecisionLine(
                        row: pending.row, ref: pending.ref, code: "BAD_REPLY", message: "unexpected reply", field: ""))
            }
            if lastProgress.duration(to: clock.now) > .seconds(1) {
                lastProgress = clock.now
                let seconds = Self.seconds(start.duration(to: clock.now))
                FileHandle.standardError.write(
                    Data("import: \(done)/\(total) rows, \(Int(Double(done) / seconds)) rows/s\n".utf8))
            }
        }
        let seconds = Self.seconds(start.duration(to: clock.now))
        let summary = outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let rate = Double(total) / max(seconds, 0.000_001)
        FileHandle.standardError.write(
            Data(
                ("import: \(total) rows in \(String(format: "%.2f", seconds)) s, \(Int(rate)) rows/s (\(summary)); "
                    + "latency p50 \(Self.milliseconds(latency.valueAtPercentile(50))) ms, "
                    + "p99 \(Self.milliseconds(latency.valueAtPercentile(99))) ms, "
                    + "max \(Self.milliseconds(latency.maxRecorded)) ms\n").utf8))
    }

    static func fields(_ values: [String: String]) -> DealFields {
        let tender = (values["tender"] ?? "").lowercased()
        return DealFields(
            ref: values["ref"] ?? "", customerName: values["customer_name"] ?? "", street: values["street"] ?? "",
            city: values["city"] ?? "", postalCode: values["postal_code"] ?? "", region: values["region"] ?? "",
            country: values["country"] ?? "", webDomain: values["web_domain"] ?? "", taxID: values["tax_id"] ?? "",
            productLines: (values["product_lines"] ?? "").split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces)
            },
            amount: values["amount"] ?? "", currency: values["currency"] ?? "", closeDate: values["close_date"] ?? "",
            tender: ["1", "true", "yes", "y"].contains(tender), onBehalfOf: values["on_behalf_of"] ?? "",
            description: values["description"] ?? "", tenderReference: values["tender_reference"] ?? "",
            tenderNoticeURL: values["tender_notice_url"] ?? "")
    }

    /// FNV-1a of the row's fields: the same row gets the same request id on a re-import.
    static func digest(_ fields: [String]) -> String {
        String(FNV1a.hash(fields.joined(separator: "\u{1f}").utf8), radix: 16)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ micros: UInt64) -> String { String(format: "%.1f", Double(micros) / 1000) }
}
