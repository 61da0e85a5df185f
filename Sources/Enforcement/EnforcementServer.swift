import DealBus
import DealModel
import DealWire
import Foundation
import Logging
import ZeroMQ

/// The enforcement service's reactor: follows the registry's events durably (its cursor survives restarts) and
/// serves its api. Violations and sanctions come later. Not thread-safe: runs on its one reactor thread.
final class EnforcementServer {
    private let configuration: EnforcementConfiguration
    private let logger: Logger
    private let store: EnforcementStore
    private let keyPair: CurveKeyPair
    private var principals: [String: String] = [:]  // public key → party id
    private var unrecorded: [WireEvent] = []
    private var follower: EventFollower!

    init(configuration: EnforcementConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        store = try EnforcementStore(file: configuration.databaseFile)
        let identity = try Keystore.loadOrCreate(
            configuration.serverKeyFile, id: PartyID("enforcement"), kind: .service)
        guard let pair = identity.keyPair else {
            throw KeystoreError.unreadable(path: configuration.serverKeyFile.path, reason: "bad key")
        }
        keyPair = pair
        for party in try store.parties() { principals[party.publicKey] = party.id }
        if let file = configuration.bootstrapFile {
            for party in try JSONDecoder().decode([Party].self, from: Data(contentsOf: file)) {
                principals[party.publicKey] = party.id.rawValue
            }
        }
    }

    func run(context: Context, onReady: @Sendable (ServiceEndpoints) -> Void) throws {
        let zap = try ZAPHandler(context: context) { [unowned self] request in
            guard let key = request.clientKey, let id = self.principals[key.z85] else {
                return .deny(reason: "unknown key")
            }
            return .allow(userID: id)
        }
        let api = try CurveSockets.server(
            context, .router, bind: configuration.apiEndpoint, keyPair: keyPair, domain: "api")
        let events = try CurveSockets.server(
            context, .publisher, bind: configuration.eventsEndpoint, keyPair: keyPair, domain: "events")
        defer {
            for socket in [api, events, zap.socket] { socket.close() }
        }
        let reactor = Reactor()
        reactor.register(zap.socket) { try zap.handleOne() }
        reactor.register(api) { [unowned self] in try self.serve(api) }
        follower = try EventFollower(
            context: context, reactor: reactor,
            source: .init(
                eventsEndpoint: configuration.registryEventsEndpoint, syncEndpoint: configuration.registrySyncEndpoint,
                serverKey: configuration.registryKey, keyPair: configuration.keyPair),
            lastApplied: try store.cursor(), logger: logger
        ) { [unowned self] events in
            self.unrecorded += events
            for event in events {
                if case .party(let party)? = event.payload { self.principals[party.publicKey] = party.id }
            }
        }
        reactor.atEndOfTurn { [unowned self] in
            guard !self.unrecorded.isEmpty else { return }
            try self.store.record(self.unrecorded)
            self.unrecorded.removeAll(keepingCapacity: true)
        }
        let endpoints = ServiceEndpoints(
            service: "enforcement", endpoints: ["api": try api.lastEndpoint(), "events": try events.lastEndpoint()],
            publicKey: keyPair.publicKey.z85, pid: getpid())
        try endpoints.write(to: configuration.endpointsFile)
        logger.info("enforcement serving", metadata: ["cursor": "\(follower.lastApplied)"])
        onReady(endpoints)
        try reactor.run()
        if !unrecorded.isEmpty { try store.record(unrecorded) }
        logger.info("enforcement stopped", metadata: ["cursor": "\(follower.lastApplied)"])
    }

    private func serve(_ api: Socket) throws {
        while let message = try api.receive(dontWait: true) {
            guard let request = RequestFrames(message) else { continue }
            let answer: WireEnvelope.OneOf_Body
            var requestID = ""
            switch EnvelopeCodec.decodeRequest(request.payload) {
            case .failure(let failure):
                requestID = failure.requestID
                answer = .error(failure.error)
            case .success(let envelope):
                requestID = envelope.requestID
                if case .status? = envelope.body {
                    var status = Dealreg_V1_StatusReply()
                    status.service = "enforcement"
                    status.lastSeq = follower.lastApplied
                    status.live = follower.isLive
                    status.principal = request.principal ?? ""
                    answer = .statusReply(status)
                } else {
                    answer = .error(
                        WireError(
                            .unknownMethod, "'\(envelope.methodName)' is not served by enforcement.", field: "body"))
                }
            }
            if case .error(let error) = answer {
                logger.notice(
                    "request refused", metadata: ["code": "\(error.code.name)", "reason": "\(error.message)"])
            }
            _ = try? api.send(
                frames: request.reply(EnvelopeCodec.encode(requestID: requestID, body: answer)), dontWait: true)
        }
    }
}
