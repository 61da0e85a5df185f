import DealBus
import DealModel
import DealWire

/// How sanctions reach the registry: the standing each sanctioned party should have there (suspension,
/// expulsion, loss of benefits, or active again once lifted), sent until the registry answers, then the sanctions
/// marked applied.
extension EnforcementCore {
    /// The standing the registry should hold `party` to: the gravest of `sanctions` in force that it enforces.
    static func standing(from sanctions: [Sanction]) -> PartyStanding {
        PartyStanding.gravest(of: sanctions.filter(\.active).compactMap(\.level.standing))
    }

    /// Sends the registry the standing of every party with a committed sanction it has not applied yet, once per
    /// party (named after its latest such sanction); retried each sweep until the registry answers (the request id
    /// makes retries idempotent there). Only what is durable is sent.
    mutating func syncStandings() throws {
        var latest: [PartyID: Sanction] = [:]
        for sanction in try records.sanctions(party: nil, unapplied: true, active: false) {
            latest[sanction.party] = sanction
        }
        for (party, sanction) in latest.sorted(by: { $0.key < $1.key }) {
            let standing = Self.standing(from: try records.sanctions(party: party, unapplied: false, active: true))
            var request = Dealreg_V1_SetStandingRequest()
            request.partyID = party.rawValue
            request.standing = standing.wire
            request.reason = sanction.active ? sanction.reason : "sanction \(sanction.id) lifted"
            let id = "standing-\(sanction.id)-\(sanction.active ? "on" : "off")-\(standing.wire.rawValue)"
            queue(.sendRegistry(EnvelopeCodec.encode(requestID: id, body: .setStanding(request))))
        }
    }

    /// `party`'s sanctions in their latest state, this turn's changes included.
    private func latestSanctions(of party: PartyID) throws -> [Sanction] {
        var byID: [SanctionID: Sanction] = [:]
        for sanction in try records.sanctions(party: party, unapplied: false, active: false) {
            byID[sanction.id] = sanction
        }
        for staged in [writing, turn].compactMap({ $0 }) {
            for sanction in staged.sanctions.values where sanction.party == party { byID[sanction.id] = sanction }
        }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// The registry's answer to a standing request. When the standing it applied is still the party's (a lift
    /// staged since makes it another), the party's sanctions up to the one the request was named after are marked
    /// applied; otherwise the next sync sends the newer standing.
    mutating func registryReply(_ payload: [UInt8], at now: Moment) -> [EnforcementAction] {
        guard let envelope = try? WireEnvelope(serializedBytes: payload) else { return takeActions() }
        if envelope.requestID.hasPrefix(Self.headsRequestPrefix) {
            headsExchanged(envelope, at: now)
            return takeActions()
        }
        let parts = envelope.requestID.split(separator: "-")
        guard parts.count == 5, parts[0] == "standing", let sent = Int(parts[4]) else { return takeActions() }
        let named = SanctionID(parts[1] + "-" + parts[2])
        switch envelope.body {
        case .setStandingReply?:
            do {
                guard let sanction = try latestSanction(named) else { break }
                let current = try latestSanctions(of: sanction.party)
                guard Self.standing(from: current).wire.rawValue == sent else { break }
                for var applied in current where !applied.registryApplied && applied.id <= named {
                    applied.registryApplied = true
                    stage(.registryApplied(applied))
                }
            } catch {
                logger.error("registry's answer not recorded", metadata: ["error": "\(error)"])
            }
        case .error(let error)?:
            logger.error(
                "registry refused a standing",
                metadata: ["sanction": "\(named)", "code": "\(error.code.name)", "reason": "\(error.message)"])
        default:
            break
        }
        return takeActions()
    }
}
