import DealBus
import DealWire
import SwiftProtobuf
import Testing

/// How the typed clients read replies, without a server: the right case is the reply, an error is `.remote`, any
/// other case is `.badReply`, for every RPC of both services.
@Suite struct BusMethodTests {
    /// One RPC of the tables, its types erased: the request case it asks with, a reply of its own case, and
    /// whether it reads a body as its reply.
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let asks: WireEnvelope.OneOf_Body
        let answer: WireEnvelope.OneOf_Body
        let reads: @Sendable (WireEnvelope.OneOf_Body) -> Bool

        init<Request: Message, Reply: Message>(
            _ method: BusMethod<Request, Reply>, answer: (Reply) -> WireEnvelope.OneOf_Body
        ) {
            name = method.name
            asks = method.body(Request())
            self.answer = answer(Reply())
            reads = { body in (try? method.decode(body)) != nil }
        }

        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(RegistryClient.Method.registerDeal) { .registerDealReply($0) },
        Row(RegistryClient.Method.getRegistration) { .getRegistrationReply($0) },
        Row(RegistryClient.Method.listRegistrations) { .listRegistrationsReply($0) },
        Row(RegistryClient.Method.addParty) { .addPartyReply($0) },
        Row(RegistryClient.Method.status) { .statusReply($0) },
        Row(RegistryClient.Method.stats) { .statsReply($0) },
        Row(RegistryClient.Method.audit) { .auditReply($0) },
        Row(RegistryClient.Method.backup) { .backupReply($0) },
        Row(RegistryClient.Method.transition) { .transitionReply($0) },
        Row(RegistryClient.Method.history) { .historyReply($0) },
        Row(RegistryClient.Method.policy) { .policyReply($0) },
        Row(RegistryClient.Method.setStanding) { .setStandingReply($0) },
        Row(RegistryClient.Method.setKey) { .setKeyReply($0) },
        Row(RegistryClient.Method.listParties) { .listPartiesReply($0) },
        Row(RegistryClient.Method.feed) { .feedReply($0) },
        Row(RegistryClient.Method.linkParties) { .linkPartiesReply($0) },
        Row(RegistryClient.Method.acceptLink) { .acceptLinkReply($0) },
        Row(RegistryClient.Method.unlinkParties) { .unlinkPartiesReply($0) },
        Row(RegistryClient.Method.listLinks) { .listLinksReply($0) },
        Row(RegistryClient.Method.showAccount) { .showAccountReply($0) },
        Row(RegistryClient.Method.listAccounts) { .listAccountsReply($0) },
        Row(RegistryClient.Method.mergeAccounts) { .mergeAccountsReply($0) },
        Row(RegistryClient.Method.splitAccount) { .splitAccountReply($0) },
        Row(RegistryClient.Method.prove) { .proveReply($0) },
        Row(RegistryClient.Method.exchangeHeads) { .exchangeHeadsReply($0) },
        Row(RegistryClient.Method.heads) { .headsReply($0) },
        Row(RegistryClient.Method.listAccess) { .listAccessReply($0) },
        Row(EnforcementClient.Method.recordBooking) { .recordBookingReply($0) },
        Row(EnforcementClient.Method.listViolations) { .listViolationsReply($0) },
        Row(EnforcementClient.Method.caseStep) { .caseReply($0) },
        Row(EnforcementClient.Method.listCases) { .listCasesReply($0) },
        Row(EnforcementClient.Method.listSanctions) { .listSanctionsReply($0) },
        Row(EnforcementClient.Method.liftSanction) { .liftSanctionReply($0) },
        Row(EnforcementClient.Method.listEscalations) { .listEscalationsReply($0) },
    ]

    @Test(arguments: rows) func everyMethodAsksWithARequestAndReadsOnlyItsOwnReply(_ row: Row) {
        #expect(WireEnvelope(requestID: "r", body: row.asks).action != nil, "\(row.name) asks with a reply body")
        #expect(row.reads(row.answer))
        for other in Self.rows where other.name != row.name {
            #expect(!row.reads(other.answer), "\(row.name) read the reply of \(other.name)")
        }
    }

    /// The request cases of the envelope, by their Swift names: each field number that decodes into a body the
    /// authorisation matrix knows as an action.
    static var requestCases: Set<String> {
        var names: Set<String> = []
        for field in 3...999 {
            // An empty length-delimited field: the tag, as a varint, and a zero length.
            var bytes: [UInt8] = []
            var tag = UInt32(field) << 3 | 2
            while tag >= 0x80 {
                bytes.append(UInt8(tag & 0x7F) | 0x80)
                tag >>= 7
            }
            bytes += [UInt8(tag), 0]
            guard let envelope = try? WireEnvelope(serializedBytes: bytes), envelope.action != nil else { continue }
            names.insert(envelope.methodName)
        }
        return names
    }

    @Test func everyRequestOfTheEnvelopeHasAClientMethod() {
        // Sync is served on the registry's `sync` socket, which EventFollower reads, not on an api.
        let asked = Set(Self.rows.map { WireEnvelope(requestID: "r", body: $0.asks).methodName }).union(["sync"])
        let missing = Self.requestCases.subtracting(asked)
        #expect(missing.isEmpty, "requests without a typed client method: \(missing.sorted())")
        #expect(asked.subtracting(Self.requestCases).isEmpty)
    }

    @Test func decodesTheReplyOfItsCase() throws {
        var decision = Dealreg_V1_RegisterDealReply()
        decision.decision.registrationID = "DR-00000001"
        let reply = try RegistryClient.Method.registerDeal.decode(
            WireEnvelope(requestID: "r", body: .registerDealReply(decision)))
        #expect(reply.decision.registrationID == "DR-00000001")
    }

    @Test func throwsAnErrorReplyAsRemote() {
        let refusal = WireError(.notFound, "No registration DR-09999999.", field: "registration_id")
        let envelope = WireEnvelope(requestID: "r", body: .error(refusal))
        #expect(throws: ClientError.self) { try RegistryClient.Method.getRegistration.decode(envelope) }
        guard case .failure(.remote(let error)) = RegistryClient.Method.getRegistration.result(envelope) else {
            Issue.record("an error reply was not read as remote")
            return
        }
        #expect(error == refusal)
    }

    @Test func throwsAnotherCaseAsABadReplyNamingBoth() {
        let envelope = WireEnvelope(requestID: "r", body: .statusReply(.init()))
        guard case .failure(.badReply(let reason)) = EnforcementClient.Method.recordBooking.result(envelope) else {
            Issue.record("a status reply was read as a booking reply")
            return
        }
        #expect(reason == "expected a RecordBooking reply, got statusReply")
    }

    @Test func throwsAnEmptyBodyAsABadReply() {
        var envelope = WireEnvelope(requestID: "r", body: .statusReply(.init()))
        envelope.body = nil
        guard case .failure(.badReply(let reason)) = RegistryClient.Method.status.result(envelope) else {
            Issue.record("an empty body was read as a status reply")
            return
        }
        #expect(reason == "expected a Status reply, got an empty body")
    }
}
