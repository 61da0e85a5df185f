import DealBus
import DealModel
import DealWire

/// Two-tier links: a distributor and a reseller propose, accept and end their relationship (the vendor's people
/// may end any), each step a `link` event answered once durable; and the rule they serve, that a distributor files
/// `on_behalf_of` only a reseller it has an active link with.
extension RegistryCore {
    mutating func linkParties(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.linkParties
        return try stepLink(
            request, body.distributor, body.reseller, reason: body.reason, fingerprint: body.fingerprint, at: now
        ) { (existing, step) throws(PartyLink.Refusal) -> PartyLink in
            try PartyLink.proposing(
                existing, pair: step.pair, side: step.side, actor: request.principal.id, at: now.secondsSinceEpoch,
                reason: step.reason)
        } reply: { link in
            .linkPartiesReply(.with { $0.link = link.wire })
        }
    }

    mutating func acceptLink(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.acceptLink
        return try stepLink(
            request, body.distributor, body.reseller, reason: body.reason, fingerprint: body.fingerprint, at: now
        ) { (existing, step) throws(PartyLink.Refusal) -> PartyLink in
            guard let existing else { throw .notProposed }
            return try existing.accepted(
                by: step.side, actor: request.principal.id, at: now.secondsSinceEpoch, reason: step.reason)
        } reply: { link in
            .acceptLinkReply(.with { $0.link = link.wire })
        }
    }

    /// Ends a link or withdraws its proposal; registrations already filed under it stay with the reseller.
    mutating func unlinkParties(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.unlinkParties
        return try stepLink(
            request, body.distributor, body.reseller, reason: body.reason, fingerprint: body.fingerprint, at: now
        ) { (existing, step) throws(PartyLink.Refusal) -> PartyLink in
            guard let existing else { throw .notLinked }
            return try existing.ended(by: request.principal.id, at: now.secondsSinceEpoch, reason: step.reason)
        } reply: { link in
            .unlinkPartiesReply(.with { $0.link = link.wire })
        }
    }

    /// The links a party is a side of; every link (or those of `party`) for the vendor's people.
    mutating func listLinks(_ request: APIRequest, at now: Moment) throws -> Handling {
        let filter = request.envelope.listLinks.party
        // Only what is committed, like every read.
        let visible = links.values.filter { link in
            if request.access != .all { return link.concerns(request.principal.id) }
            return filter.isEmpty || link.concerns(PartyID(filter))
        }
        return .reply(.listLinksReply(.with { $0.links = visible.sorted { $0.pair < $1.pair }.map(\.wire) }))
    }

    /// The refusal of a registration `principal` files on behalf of `holder` without an active link; nil when it
    /// files for itself or the link is active (this turn's changes included).
    func onBehalfRefusal(of principal: PartyID, for holder: PartyID) -> WireError? {
        guard holder != principal,
            latestLink(PartyLink.Pair(distributor: principal, reseller: holder))?.isActive != true
        else { return nil }
        return WireError(
            .permissionDenied,
            "\(principal) has no active two-tier link with \(holder): \(holder) must accept \(principal)'s proposal "
                + "(dealreg party link \(principal) \(holder), then dealreg party accept) before \(principal) files "
                + "on its behalf.",
            field: "on_behalf_of")
    }

    /// What a step needs to know of the pair and the principal's place in it.
    struct LinkStep {
        var pair: PartyLink.Pair
        /// The side the principal is on; the distributor's for the vendor's people ending a link, who are neither.
        var side: PartyLink.Side
        var reason: String
    }

    /// One step on the link of `distributor` and `reseller`: checked, taken by `step` on its latest state, added
    /// to this turn as a `link` event with its idempotency record, and answered with `reply` once durable.
    private mutating func stepLink(
        _ request: APIRequest, _ distributor: String, _ reseller: String, reason raw: String, fingerprint: String,
        at now: Moment, step: (PartyLink?, LinkStep) throws(PartyLink.Refusal) -> PartyLink,
        reply: (PartyLink) -> WireEnvelope.OneOf_Body
    ) throws -> Handling {
        if let answered = try answerFromHistory(request, fingerprint: fingerprint) { return answered }
        let context = try linkStep(request, distributor, reseller, reason: raw)
        let link: PartyLink
        do {
            link = try step(latestLink(context.pair), context)
        } catch {
            throw Self.wireError(error, context.pair)
        }
        let body = reply(link)
        let answer = StoredAnswer(
            principal: request.principal.id, requestID: request.requestID, fingerprint: fingerprint,
            reply: EnvelopeCodec.encode(requestID: request.requestID, body: body))
        append(
            RegistryWrite(.link(link), seq: turn.takeSeq(), time: now.secondsSinceEpoch, answer: answer),
            routes: [request.route], at: now)
        logger.notice(
            "two-tier link \(link.state.rawValue)",
            metadata: ["link": "\(link.pair)", "by": "\(request.principal.id)", "reason": "\(link.reason)"])
        return .inHand
    }

    /// The pair named by a request, checked field by field, and the principal's side of it: a party that is
    /// neither side is refused unless the matrix gives it every link.
    private func linkStep(
        _ request: APIRequest, _ distributor: String, _ reseller: String, reason raw: String
    ) throws -> LinkStep {
        for (value, field) in [(distributor, "distributor"), (reseller, "reseller")] {
            guard !value.isEmpty else {
                throw WireError(.missingField, "The \(field) of the link is required.", field: field)
            }
            guard PartyID(value).isWellFormed else {
                throw WireError(.invalidField, "'\(value)' is not a party id.", field: field)
            }
        }
        let pair = PartyLink.Pair(distributor: PartyID(distributor), reseller: PartyID(reseller))
        guard pair.distributor != pair.reseller else {
            throw WireError(.invalidField, "A party cannot be linked to itself.", field: "reseller")
        }
        let principal = request.principal
        let side: PartyLink.Side
        if principal.id == pair.distributor {
            side = .distributor
        } else if principal.id == pair.reseller {
            side = .reseller
        } else if request.access == .all && request.action == .unlinkParties {
            side = .distributor
        } else {
            throw WireError(
                .permissionDenied, "\(principal.id) may only take steps on links it is a side of.",
                field: principal.kind == .distributor ? "distributor" : "reseller")
        }
        // A suspended or expelled party may still end a link, but not start one: it could not file under it.
        if request.action != .unlinkParties && [.suspended, .expelled].contains(principal.standing) {
            throw WireError(
                .registrantSanctioned,
                "\(principal.id) is \(principal.standing.rawValue) and may not propose or accept links.")
        }
        // The vendor ending a link between two others says why.
        let reason = try FieldLimits.reason(raw, required: !pair.concerns(principal.id))
        for (id, kind, field) in [
            (pair.distributor, PartyKind.distributor, "distributor"), (pair.reseller, .partner, "reseller"),
        ] {
            guard let party = latestParty(id) else {
                throw WireError(.invalidField, "No party '\(id)'.", field: field)
            }
            guard party.kind == kind else {
                throw WireError(
                    .invalidField,
                    "'\(id)' is a \(party.kind.label), not a \(kind.label): links join a distributor to a partner.",
                    field: field)
            }
        }
        return LinkStep(pair: pair, side: side, reason: reason)
    }

    private static func wireError(_ refusal: PartyLink.Refusal, _ pair: PartyLink.Pair) -> WireError {
        switch refusal {
        case .alreadyActive:
            WireError(.alreadyExists, "The link \(pair) is active already.", field: "reseller")
        case .alreadyProposed(let side):
            WireError(
                .alreadyExists,
                "\(pair.party(on: side)) proposed the link \(pair) already; \(pair.party(on: side.other)) has to "
                    + "accept it.", field: "reseller")
        case .notProposed:
            WireError(.notFound, "No proposal of the link \(pair) waits to be accepted.", field: "reseller")
        case .ownProposal:
            WireError(
                .permissionDenied, "The link \(pair) is accepted by the side that did not propose it.",
                field: "reseller")
        case .notLinked:
            WireError(.notFound, "There is no link \(pair) to end.", field: "reseller")
        }
    }
}
