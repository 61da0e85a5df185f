import DealBus
import DealModel
import DealWire
import Foundation
import Testing

/// Registrations of customers of their own, pipelined on one client under request ids of their own as a busy client
/// sends them, and every answer each got: the decisions, and the refusals a client retries. Sent again with its
/// request id, a request is decided once, so every answer a request id ever gets must be the same decision. Not
/// thread-safe: one test owns it.
struct RegistrationBurst {
    let client: RegistryClient
    let requests: [(id: String, request: Dealreg_V1_RegisterDealRequest)]
    /// Every decision received for each request id, in order.
    private(set) var decisions: [String: [Dealreg_V1_Decision]] = [:]
    /// The codes of every refusal received (UNAVAILABLE while no worker or registry serves, STORAGE_UNAVAILABLE
    /// while the database does not answer).
    private(set) var refusals: [WireErrorCode] = []
    /// Requests sent again because their answer did not come in time.
    private(set) var timeouts = 0

    /// `count` requests as `client`, ids `PREFIX-0`, `PREFIX-1`…, each for a customer nobody else registers.
    init(_ client: RegistryClient, prefix: String, count: Int) {
        self.client = client
        requests = (0..<count).map { index in
            var request = Dealreg_V1_RegisterDealRequest()
            request.customer =
                Customer(
                    legalName: "\(prefix.capitalized) Tonnellerie \(index) SARL", city: "Cognac", postalCode: "16100",
                    country: "FR"
                ).wire
            request.productLines = ["storage"]
            request.amount = Money(minorUnits: 100_000, currency: "EUR").wire
            request.expectedClose = LocalCluster.closeDay.wire
            return ("\(prefix)-\(index)", request)
        }
    }

    /// Whether each request has a decision.
    var isDecided: Bool { requests.allSatisfy { decisions[$0.id] != nil } }

    var decidedCount: Int { requests.filter { decisions[$0.id] != nil }.count }

    /// The first decision of each request id.
    var firstDecisions: [String: Dealreg_V1_Decision] { decisions.compactMapValues(\.first) }

    /// Sends every request at once, without waiting.
    func sendAll() throws {
        for (id, request) in requests {
            try client.bus.send(RegistryClient.Method.registerDeal, request, requestID: id)
        }
    }

    /// Reads answers until `count` requests are decided; throws when none comes for `silence`.
    mutating func receive(untilDecided count: Int, silence: Duration = .seconds(60)) throws {
        while decidedCount < count { record(try client.bus.receive(timeout: silence)) }
    }

    /// Reads the answers that arrive within `duration`.
    mutating func drain(for duration: Duration) throws {
        let deadline = ContinuousClock.now.advanced(by: duration)
        while ContinuousClock.now < deadline {
            guard let reply = try? client.bus.receive(timeout: .milliseconds(200)) else { continue }
            record(reply)
        }
    }

    private mutating func record(_ reply: WireEnvelope) {
        switch RegistryClient.Method.registerDeal.result(reply) {
        case .success(let answer): decisions[reply.requestID, default: []].append(answer.decision)
        case .failure(.remote(let error)): refusals.append(error.code)
        case .failure(let failure): Issue.record("request \(reply.requestID): \(failure)")
        }
    }

    /// Sends each request that has no decision again, with its own request id, until it has one: a refusal the
    /// client may retry (UNAVAILABLE, STORAGE_UNAVAILABLE) is retried after its delay, and so is a request left
    /// unanswered. Every other refusal is an issue.
    mutating func settle(attempts: Int = 90) {
        for (id, request) in requests where decisions[id] == nil {
            for _ in 0..<attempts {
                do {
                    let answer = try client.registerDeal(request, requestID: id, timeout: .seconds(10))
                    decisions[id, default: []].append(answer.decision)
                    break
                } catch .remote(let error) where [.unavailable, .storageUnavailable].contains(error.code) {
                    refusals.append(error.code)
                    Thread.sleep(forTimeInterval: max(0.2, Double(error.retryAfterMs) / 1000))
                } catch .timeout {
                    timeouts += 1
                } catch {
                    Issue.record("request \(id): \(error)")
                    break
                }
            }
            if decisions[id] == nil { Issue.record("request \(id) was never decided") }
        }
    }

    /// Asks every request again under its request id, and holds the answer to every answer it got before: one
    /// decision per request, whoever decided it and however often it was sent.
    func expectEachDecidedOnce(sourceLocation: SourceLocation = #_sourceLocation) {
        for (id, request) in requests {
            let again = Result { try client.registerDeal(request, requestID: id, timeout: .seconds(30)) }
            guard case .success(let answer) = again else {
                Issue.record("request \(id) asked again: \(again)", sourceLocation: sourceLocation)
                continue
            }
            for earlier in decisions[id] ?? [] {
                #expect(
                    earlier.registrationID == answer.decision.registrationID
                        && earlier.outcome == answer.decision.outcome,
                    """
                    request \(id) was answered \(earlier.registrationID) \(earlier.outcome), then \
                    \(answer.decision.registrationID) \(answer.decision.outcome)
                    """, sourceLocation: sourceLocation)
            }
        }
    }
}
