import DealBus
import DealModel
import DealWire
import Foundation
import Testing
import ZeroMQ

/// Least privilege, over real processes: who gets through the handshake on each socket, every cell of the
/// authorisation matrix, keys revoked and rotated on live connections, and nothing leaking between partners.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SecurityTests {
    /// One socket of a service: where it is, how a client talks to it.
    struct Endpoint {
        var name: String
        var address: String
        var serverKey: CurveKey
        var type: SocketType
    }

    func endpoints(_ cluster: LocalCluster) throws -> [Endpoint] {
        var all: [Endpoint] = []
        for (service, file) in [("registry", "registry/endpoints.json"), ("enforcement", "enforcement/endpoints.json")]
        {
            let announced = try ServiceEndpoints.read(cluster.data.appendingPathComponent(file))
            let key = try #require(CurveKey(z85: announced.publicKey))
            for (socket, address) in announced.endpoints.sorted(by: { $0.key < $1.key }) {
                all.append(
                    Endpoint(
                        name: "\(service) \(socket)", address: ServiceEndpoints.connectable(address), serverKey: key,
                        type: socket == "events" ? .subscriber : .dealer))
            }
        }
        return all
    }

    /// Whether a client with `keyPair` (nil: plaintext, no CURVE at all) completes the handshake with `endpoint`
    /// within `seconds`.
    func handshakes(_ endpoint: Endpoint, keyPair: CurveKeyPair?, context: Context, seconds: Double = 3) throws -> Bool
    {
        let socket = try Socket(context: context, type: endpoint.type)
        defer { socket.close() }
        let monitor = try SocketMonitor(context: context, monitoring: socket)
        defer { monitor.socket.close() }
        try socket.setLinger(milliseconds: 0)
        if let keyPair { try socket.makeCurveClient(serverKey: endpoint.serverKey, keyPair: keyPair) }
        if endpoint.type == .subscriber { try socket.subscribe() }
        try socket.connect(endpoint.address)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            while let event = try monitor.next() {
                if event.event == SocketEvent.handshakeSucceeded { return true }
                if event.isHandshakeFailure { return false }
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Polls `condition` for up to five seconds.
    func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<100 {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @Test func unknownRevokedAndPlaintextClientsAreRefusedOnEverySocket() throws {
        let cluster = try LocalCluster(workers: 1)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner")] { try cluster.addParty(id, kind: kind) }
        let context = try Context()
        let sockets = try endpoints(cluster)
        #expect(
            sockets.map(\.name) == [
                "registry api", "registry events", "registry sync", "registry work", "enforcement api",
                "enforcement events",
            ])
        let admin = try cluster.keyPair(of: "admin")
        let worker = try cluster.keyPair(of: "svc-check")
        let acme = try cluster.keyPair(of: "acme")
        for endpoint in sockets {
            #expect(
                try !handshakes(endpoint, keyPair: try CurveKeyPair.generate(), context: context), "\(endpoint.name)")
            #expect(try !handshakes(endpoint, keyPair: nil, context: context), "plaintext on \(endpoint.name)")
            // The right kind gets in; a partner only reaches the two apis.
            let allowed = endpoint.name == "registry work" ? worker : admin
            #expect(try handshakes(endpoint, keyPair: allowed, context: context), "\(endpoint.name)")
            #expect(
                try handshakes(endpoint, keyPair: acme, context: context) == endpoint.name.hasSuffix("api"),
                "a partner on \(endpoint.name)")
        }

        // Revoked: the open connection's next request is refused, and no new connection gets in anywhere.
        let open = try cluster.client(context: context, as: "acme")
        _ = try open.status()
        let revoked = try cluster.dealreg(["keys", "revoke", "acme", "--reason", "laptop stolen", "--json"])
        #expect(revoked.status == 0, "\(revoked)")
        #expect {
            _ = try open.status()
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .unauthenticated
        }
        for endpoint in sockets {
            #expect(
                try eventually { try !handshakes(endpoint, keyPair: acme, context: context, seconds: 1) },
                "revoked key on \(endpoint.name)")
        }
        let listed = try cluster.dealreg(["keys", "list", "--json"]).output
        #expect(listed.contains(#""party":"acme","public_key":"","secret_here":false,"state":"revoked""#), "\(listed)")

        // Rotated: the old key is refused, the new one (now in the keystore) works at both services.
        let oldBolt = try cluster.keyPair(of: "bolt")
        #expect(try cluster.dealreg(["keys", "rotate", "bolt", "--reason", "yearly"]).status == 0)
        let newBolt = try cluster.keyPair(of: "bolt")
        #expect(newBolt.publicKey != oldBolt.publicKey)
        for endpoint in sockets where endpoint.name.hasSuffix("api") {
            #expect(try eventually { try !handshakes(endpoint, keyPair: oldBolt, context: context, seconds: 1) })
            #expect(try eventually { try handshakes(endpoint, keyPair: newBolt, context: context, seconds: 1) })
        }
        let keyFile = cluster.data.appendingPathComponent("keys/bolt.key").path
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Secrets are never logged.
        let secret = try #require(try Keystore.read(URL(fileURLWithPath: keyFile)).secretKey as String?)
        #expect(!cluster.logs.contains(secret) && !cluster.upOutput.contains(secret))
    }

    /// A request asking for `action`, aimed at nothing that exists where it could change anything, so every
    /// principal can ask it in turn; nil for actions that are sockets, not requests. A link step names a pair with
    /// `principal` on its side (a party steps only on its own links) and a party that does not exist on the other.
    static func request(for action: Action, as principal: String, _ kind: PartyKind) -> WireEnvelope.OneOf_Body? {
        let missing = "DR-09999999"
        switch action {
        case .register:
            var request = Dealreg_V1_RegisterDealRequest()
            request.customer = Customer(legalName: "Matrix Probe SARL", city: "Lyon", country: "FR").wire
            request.productLines = ["storage"]
            request.amount = Money(minorUnits: 100_000, currency: "EUR").wire
            request.expectedClose = LocalCluster.closeDay.wire
            return .registerDeal(request)
        case .showRegistration: return .getRegistration(.with { $0.registrationID = missing })
        case .listRegistrations: return .listRegistrations(.init())
        case .history: return .history(.with { $0.registrationID = missing })
        case .review, .close, .extend:
            let transition: Dealreg_V1_Transition =
                action == .review ? .approve : action == .close ? .withdraw : .extend
            return .transition(
                .with {
                    $0.registrationID = missing
                    $0.transition = transition
                    $0.reason = "probe"
                })
        case .showPolicy: return .policy(.init())
        case .reloadPolicy: return .policy(.with { $0.reload = true })
        case .addParty: return .addParty(.init())
        case .listParties: return .listParties(.init())
        case .setStanding:
            return .setStanding(
                .with {
                    $0.partyID = "nobody"
                    $0.standing = .active
                    $0.reason = "probe"
                })
        case .setKey:
            return .setKey(
                .with {
                    $0.partyID = "nobody"
                    $0.reason = "probe"
                })
        case .feed: return .feed(.init())
        case .status: return .status(.init())
        case .resetMetrics: return .status(.with { $0.resetLatency = true })
        case .stats: return .stats(.init())
        case .audit: return .audit(.init())
        case .backup: return .backup(.init())
        case .recordBooking: return .recordBooking(.init())
        case .listViolations: return .listViolations(.init())
        case .listCases: return .listCases(.init())
        case .showCase: return .caseRequest(.with { $0.caseID = "V-09999999" })
        case .judgeCase, .appealCase:
            return .caseRequest(
                .with {
                    $0.caseID = "V-09999999"
                    $0.action = action == .judgeCase ? .confirm : .appeal
                    $0.reason = "probe"
                })
        case .listSanctions: return .listSanctions(.init())
        case .liftSanction:
            return .liftSanction(
                .with {
                    $0.sanctionID = "S-09999999"
                    $0.reason = "probe"
                })
        case .listEscalations: return .listEscalations(.init())
        case .showAccount: return .showAccount(.with { $0.accountID = "AC-09999999" })
        case .listAccounts: return .listAccounts(.init())
        // Event 9,999,999 is in no test's log: NOT_FOUND for whoever may ask.
        case .prove: return .prove(.with { $0.seq = 9_999_999 })
        // An empty head is refused as INVALID_FIELD by the registry, for the one kind that may offer one.
        case .exchangeHeads: return .exchangeHeads(.init())
        case .showHeads: return .heads(.init())
        case .mergeAccounts:
            return .mergeAccounts(
                .with {
                    ($0.accountID, $0.mergedAccountID, $0.reason) = ("AC-09999998", "AC-09999999", "probe")
                })
        case .splitAccount:
            return .splitAccount(
                .with {
                    ($0.accountID, $0.registrationIds, $0.reason) = ("AC-09999999", [missing], "probe")
                })
        case .linkParties, .acceptLink, .unlinkParties:
            let (distributor, reseller) = kind == .partner ? ("nobody", principal) : (principal, "nobody")
            let (d, r, why) = (distributor, reseller, "probe")
            switch action {
            case .linkParties:
                return .linkParties(
                    .with {
                        ($0.distributor, $0.reseller, $0.reason) = (d, r, why)
                    })
            case .acceptLink:
                return .acceptLink(
                    .with {
                        ($0.distributor, $0.reseller, $0.reason) = (d, r, why)
                    })
            default:
                return .unlinkParties(
                    .with {
                        ($0.distributor, $0.reseller, $0.reason) = (d, r, why)
                    })
            }
        case .listLinks: return .listLinks(.init())
        case .listAccess: return .listAccess(.with { $0.registrationID = missing })
        case .checkWork, .subscribeEvents, .replayLog, .subscribeCaseEvents: return nil
        }
    }

    /// The typed error code a call was answered with; nil when it was served (or failed otherwise).
    static func errorCode(_ call: () throws -> WireEnvelope.OneOf_Body) -> Dealreg_V1_ErrorCode? {
        do {
            _ = try call()
            return nil
        } catch {
            guard case ClientError.remote(let wire) = error else { return nil }
            return wire.code
        }
    }

    /// The services whose api serves `action`.
    static func services(of action: Action) -> [String] {
        switch action {
        case .audit, .status, .stats, .backup, .showHeads: ["registry", "enforcement"]
        case .recordBooking, .listViolations, .listCases, .showCase, .judgeCase, .appealCase, .listSanctions,
            .liftSanction, .listEscalations:
            ["enforcement"]
        default: ["registry"]
        }
    }

    @Test func everyCellOfTheAuthorisationMatrixHoldsAtTheServices() throws {
        let cluster = try LocalCluster(workers: 1)
        let people: [(String, PartyKind)] = [
            ("acme", .partner), ("dist", .distributor), ("seller-1", .seller), ("cm", .channelManager),
            ("officer", .enforcementOfficer), ("erp", .service),
        ]
        for (id, kind) in people { try cluster.addParty(id, kind: kind.rawValue) }
        let principals =
            people + [
                ("admin", .admin), ("svc-check", .checkWorker), ("svc-enforce", .enforcementService),
            ]
        #expect(Set(principals.map(\.1)) == Set(PartyKind.allCases), "every kind is probed")
        let context = try Context()
        var cells = 0
        var wrong: [String] = []
        for (id, kind) in principals {
            let keyPair = try cluster.keyPair(of: id)
            let registry = try cluster.client(context: context, keyPair: keyPair)
            let enforcement = try cluster.enforcementClient(context: context, keyPair: keyPair)
            for action in Action.allCases {
                guard let body = Self.request(for: action, as: id, kind) else { continue }
                for service in Self.services(of: action) {
                    // Raw bodies: the probe asks every action the same way, whatever its reply type.
                    let bus = service == "registry" ? registry.bus : enforcement.bus
                    let code = Self.errorCode { try bus.call(body, timeout: .seconds(10)) }
                    cells += 1
                    let denied = AccessPolicy.access(kind, action) == .denied
                    if denied != (code == .permissionDenied) {
                        wrong.append("\(kind.rawValue) \(action.rawValue) at \(service): \(code?.name ?? "served")")
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        // 28 requests at the registry and 13 at enforcement, for each of the 9 kinds.
        #expect(cells == principals.count * 45, "cells probed: \(cells)")
    }

    @Test func aPartnerLearnsNothingOfAnotherPartnersRegistration() throws {
        let cluster = try LocalCluster(workers: 1)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner")] { try cluster.addParty(id, kind: kind) }
        let context = try Context()
        let acme = try cluster.client(context: context, as: "acme")
        let bolt = try cluster.client(context: context, as: "bolt")
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer =
            Customer(legalName: "Verrerie Discrete SA", city: "Nancy", postalCode: "54000", country: "FR").wire
        request.productLines = ["storage", "servers"]
        request.amount = Money(minorUnits: 98_765_400, currency: "EUR").wire
        request.expectedClose = LocalCluster.closeDay.wire
        request.description_p = "secret expansion plan"
        let held = try acme.registerDeal(request)
        let id = held.decision.registrationID
        #expect(held.decision.outcome == .approved)

        // Asking about it reads exactly like asking about a registration that does not exist.
        let missing = "DR-09999999"
        func refusal(_ body: (String) -> WireEnvelope.OneOf_Body) -> String {
            func answer(_ target: String) -> String {
                do {
                    _ = try bolt.bus.call(body(target))
                    return "served"
                } catch {
                    guard case ClientError.remote(let wire) = error else { return "\(error)" }
                    return "\(wire.code.name) \(wire.field) "
                        + wire.message.replacingOccurrences(of: target, with: "ID")
                }
            }
            let (theirs, nothing) = (answer(id), answer(missing))
            #expect(theirs == nothing)
            return theirs
        }
        #expect(refusal { target in .getRegistration(.with { $0.registrationID = target }) }.hasPrefix("NOT_FOUND"))
        #expect(refusal { target in .history(.with { $0.registrationID = target }) }.hasPrefix("NOT_FOUND"))
        #expect(refusal { target in .listAccess(.with { $0.registrationID = target }) }.hasPrefix("NOT_FOUND"))
        for transition in [Dealreg_V1_Transition.withdraw, .won, .extend, .approve] {
            _ = refusal { target in
                .transition(
                    .with {
                        $0.registrationID = target
                        $0.transition = transition
                        $0.reason = "probe"
                    })
            }
        }

        // Lists, parties, status, the feed and enforcement's lists show bolt nothing of acme's.
        var everything: [UInt8] = []
        for body: WireEnvelope.OneOf_Body in [
            .listRegistrations(.with { $0.registrant = "acme" }), .listRegistrations(.init()),
            .listParties(.init()), .status(.init()), .feed(.init()),
        ] {
            everything += EnvelopeCodec.encode(requestID: "x", body: try bolt.bus.call(body))
        }
        let enforcement = try cluster.enforcementClient(context: context, keyPair: try cluster.keyPair(of: "bolt"))
        for body: WireEnvelope.OneOf_Body in [
            .listViolations(.init()), .listCases(.init()), .listSanctions(.init()), .status(.init()),
        ] {
            everything += EnvelopeCodec.encode(requestID: "x", body: try enforcement.bus.call(body))
        }
        // Registering the same customer: rejected, told the reference and that a partner holds it, nothing else.
        var same = request
        same.customer = Customer(legalName: "VERRERIE DISCRETE", city: "Nancy", postalCode: "54000", country: "FR").wire
        same.productLines = ["storage"]
        same.amount = Money(minorUnits: 1_000_00, currency: "EUR").wire
        same.description_p = ""
        let rejected = try bolt.registerDeal(same)
        #expect(rejected.decision.outcome == .rejected)
        #expect(rejected.decision.conflictingRegistrationID == id)
        #expect(rejected.decision.matches.first?.holderKind == .partner)
        everything += EnvelopeCodec.encode(requestID: "x", body: .registerDealReply(rejected))
        let seen = String(decoding: everything, as: UTF8.self)
        for secret in [
            "acme", "Acme", "98765400", "987654", "secret expansion", "servers", LocalCluster.closeDay.description,
            "Verrerie Discrete SA",
        ] {
            #expect(!seen.contains(secret), "bolt saw \(secret)")
        }
        #expect(seen.contains(id), "the conflicting reference is told")

        // acme's own feed has its registration; bolt's feed has none of it.
        let own = try acme.feed()
        let other = try bolt.feed()
        #expect(own.events.contains { $0.registration.id == id })
        #expect(!other.events.contains { $0.registration.id == id })
        #expect(other.events.allSatisfy { $0.party.id == "bolt" || $0.registration.registrant == "bolt" })
    }

    @Test func aPrincipalOverItsRateIsRefusedWithATypedErrorAndOthersAreNot() throws {
        let cluster = try LocalCluster(
            workers: 1, policy: #"{"limits": {"requests_per_second": 20, "burst": 20}}"#)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner")] { try cluster.addParty(id, kind: kind) }
        let context = try Context()
        let acme = try cluster.client(context: context, as: "acme")
        // 100 requests at once: the burst passes, the rest is refused, each refusal telling when to retry.
        let status = RegistryClient.Method.status
        for index in 0..<100 { try acme.bus.send(status, .init(), requestID: "flood-\(index)") }
        var codes: [String: Int] = [:]
        var retryAfter: [UInt32] = []
        for _ in 0..<100 {
            switch status.result(try acme.bus.receive(timeout: .seconds(10))) {
            case .success:
                codes["OK", default: 0] += 1
            case .failure(.remote(let error)):
                codes[error.code.name, default: 0] += 1
                retryAfter.append(error.retryAfterMs)
            case .failure(let failure):
                codes["\(failure)", default: 0] += 1
            }
        }
        #expect((20...25).contains(codes["OK"] ?? 0), "\(codes)")
        #expect(codes["RATE_LIMITED", default: 0] + codes["OK", default: 0] == 100, "\(codes)")
        #expect(retryAfter.allSatisfy { $0 >= 50 && $0 <= 5000 }, "\(retryAfter.prefix(5))")
        // Another partner is not affected; a client that waits as told gets through (the import retries).
        let bolt = try cluster.client(context: context, as: "bolt")
        _ = try bolt.status()
        let csv = cluster.data.appendingPathComponent("rows.csv")
        var rows = "ref,customer_name,city,postal_code,country,product_lines,amount,currency,close_date\n"
        for index in 1...40 {
            rows +=
                "r\(index),Scierie Numero \(index) SARL,Epinal,880\(10 + index),FR,storage,1000,EUR,"
                + "\(LocalCluster.closeDate)\n"
        }
        try rows.write(to: csv, atomically: true, encoding: .utf8)
        let imported = try cluster.dealreg(["import", csv.path, "--as", "acme", "--json"])
        #expect(imported.status == 0)
        #expect(imported.output.components(separatedBy: "\"outcome\":\"APPROVED\"").count - 1 == 40, "\(imported)")
        #expect(cluster.logs.contains("requests refused: rate limited"))
    }

    @Test func aClustersSecretKeysAndTheirFoldersAreTheOwnersAlone() throws {
        let cluster = try LocalCluster(workers: 1)
        func mode(_ path: String) throws -> String {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: cluster.data.appendingPathComponent(path).path)
            return String(try #require(attributes[.posixPermissions] as? Int), radix: 8)
        }
        for folder in ["keys", "registry", "enforcement"] {
            let folderMode = try mode(folder)
            #expect(folderMode == "700", "\(folder)")
        }
        for file in ["keys/admin.key", "keys/svc-check.key", "registry/server.key", "enforcement/server.key"] {
            let fileMode = try mode(file)
            #expect(fileMode == "600", "\(file)")
        }
    }
}
