import DealBus
import DealModel
import DealWire
import Matching

/// Accounts: one customer whatever its registrants' spellings. Shown and listed to the vendor's people; merged and
/// split by channel managers and admins, each step an `account` event per account touched and a `moved`
/// registration event per registration that changed account, refused when it would make a double protection.
extension RegistryCore {
    /// Registrations a `ShowAccount` reply carries at most, newest first.
    static let shownRegistrations = 500

    mutating func showAccount(_ request: APIRequest, at now: Moment) throws -> Handling {
        let id = try accountID(request.envelope.showAccount.accountID, field: "account_id")
        guard let account = try latestAccount(id) else {
            throw WireError(.notFound, "No account \(id).", field: "account_id")
        }
        let registrations = try allRegistrations(of: id)
        var reply = Dealreg_V1_ShowAccountReply()
        reply.account = account.with(spellings: Self.spellings(of: registrations)).wire
        reply.registrationCount = UInt32(registrations.count)
        let listed = Array(registrations.suffix(Self.shownRegistrations).reversed())
        reply.registrations = listed.map(\.wire)
        let protections = AccountProtections(registrations.filter { $0.holdsCustomer(on: now.today) }).held
        reply.protections = protections.map {
            held in
            .with {
                $0.productLine = held.productLine
                $0.registrationID = held.registration.id.rawValue
                $0.holder = held.registration.holder.rawValue
                $0.holderKind = held.registration.holderKind.wire
                $0.status = held.registration.status.wire
            }
        }
        let managing = registrations.last { $0.managesAccount(on: now.today, policy: policy) }
        if let managing {
            reply.managedBy = managing.holder.rawValue
            reply.managedByRegistrationID = managing.id.rawValue
        }
        reply.doubts = try records.doubts(of: id)
        // Every registration the reply names with details: those listed, the holders of protections, the manager.
        let shown = listed + protections.map(\.registration) + [managing].compactMap { $0 }
        return answerRead(
            request, .showAccount, recording: recordedReads(of: shown, by: request.principal),
            .showAccountReply(reply), at: now)
    }

    mutating func listAccounts(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.listAccounts
        guard body.limit <= 1000 else {
            throw WireError(.invalidField, "At most 1000 accounts per page.", field: "limit")
        }
        let limit = body.limit == 0 ? 100 : Int(body.limit)
        // Only what is committed, like every listing.
        let page = try records.accounts(
            after: body.afterID, limit: limit, customer: String(body.customer.prefix(FieldLimits.textLength)),
            doubtfulOnly: body.doubtfulOnly)
        let figures = try records.accountFigures(page.map(\.id))
        var reply = Dealreg_V1_ListAccountsReply()
        reply.accounts = page.map { account in
            let figure = figures[account.id]
            return .with {
                var shown = account
                if shown.spellings.isEmpty, let first = figure?.firstCustomer { shown.spellings = [first] }
                $0.account = shown.wire
                $0.registrationCount = UInt32(figure?.registrations ?? 0)
                $0.activeProtections = UInt32(figure?.protections ?? 0)
                $0.doubts = UInt32(figure?.doubts ?? 0)
            }
        }
        reply.nextAfterID = page.count == limit ? page.last?.id.rawValue ?? "" : ""
        return .reply(.listAccountsReply(reply))
    }

    mutating func mergeAccounts(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.mergeAccounts
        if let answered = try answerFromHistory(request, fingerprint: body.fingerprint) { return answered }
        let into = try accountID(body.accountID, field: "account_id")
        let merged = try accountID(body.mergedAccountID, field: "merged_account_id")
        let reason = try FieldLimits.reason(body.reason)
        try merge(merged, into: into, actor: request.principal.id, reason: reason, at: now) { survivor in
            (
                Self.storedAnswer(
                    request, fingerprint: body.fingerprint, .mergeAccountsReply(.with { $0.account = survivor.wire })),
                [request.route]
            )
        }
        return .inHand
    }

    mutating func splitAccount(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.splitAccount
        if let answered = try answerFromHistory(request, fingerprint: body.fingerprint) { return answered }
        let id = try accountID(body.accountID, field: "account_id")
        let reason = try FieldLimits.reason(body.reason)
        guard let account = try latestAccount(id) else {
            throw WireError(.notFound, "No account \(id).", field: "account_id")
        }
        if let survivor = account.mergedInto {
            throw WireError(
                .invalidTransition, "\(id) was merged into \(survivor); split \(survivor).", field: "account_id")
        }
        guard !body.registrationIds.isEmpty else {
            throw WireError(
                .missingField, "Name the registrations of \(id) to move to a new account.", field: "registration_ids")
        }
        guard body.registrationIds.count <= 1000 else {
            throw WireError(
                .invalidField, "Name 1 to 1000 registrations of \(id) to move to a new account.",
                field: "registration_ids")
        }
        let named = Set(body.registrationIds.map { RegistrationID($0) })
        let registrations = try allRegistrations(of: id)
        let moving = registrations.filter { named.contains($0.id) }
        if let stranger = named.subtracting(moving.map { $0.id }).min() {
            throw WireError(.invalidField, "\(stranger) is not a registration of \(id).", field: "registration_ids")
        }
        guard moving.count < registrations.count else {
            throw WireError(
                .invalidField, "Splitting every registration off \(id) would leave it empty; name fewer.",
                field: "registration_ids")
        }
        let new = AccountID(number: turn.takeAccountNumber())
        let staying = registrations.filter { !named.contains($0.id) }
        for registration in moving {
            move(registration, to: new, from: id, actor: request.principal.id, reason: reason, at: now)
        }
        let split = Account(
            id: new, spellings: Self.spellings(of: moving), actor: request.principal.id,
            changedAt: now.secondsSinceEpoch, reason: reason)
        let remaining = Account(
            id: id, spellings: Self.spellings(of: staying), actor: request.principal.id,
            changedAt: now.secondsSinceEpoch, reason: reason)
        appendAccount(split, at: now)
        let reply = WireEnvelope.OneOf_Body.splitAccountReply(
            .with {
                $0.account = split.wire
                $0.remaining = remaining.wire
            })
        appendAccount(
            remaining, answer: Self.storedAnswer(request, fingerprint: body.fingerprint, reply),
            routes: [request.route],
            at: now)
        logger.notice(
            "account split", metadata: ["account": "\(id)", "new": "\(new)", "moved": "\(moving.count)"])
        return .inHand
    }

    /// Moves every registration of `merged` into `into` (this turn): refused, naming both registrations, when the
    /// two accounts hold active exclusive protections on overlapping product lines, which would be a double
    /// protection. Returns the account `into` after the merge.
    /// `spared` (a registration in review being rejected into `into`) is left out of the overlap check and not
    /// moved: its caller's step moves it. `answering` gives the answer (and its routes) the survivor's step
    /// carries, once the survivor is known.
    @discardableResult
    mutating func merge(
        _ merged: AccountID, into: AccountID, actor: PartyID, reason: String, at now: Moment,
        sparing spared: RegistrationID? = nil,
        answering: (Account) -> (StoredAnswer, [[[UInt8]]])? = { _ in nil }
    ) throws -> Account {
        guard merged != into else {
            throw WireError(.invalidField, "An account cannot be merged into itself.", field: "merged_account_id")
        }
        for (id, field) in [(into, "account_id"), (merged, "merged_account_id")] {
            guard let account = try latestAccount(id) else {
                throw WireError(.notFound, "No account \(id).", field: field)
            }
            if let survivor = account.mergedInto {
                throw WireError(
                    .invalidTransition, "\(id) was merged into \(survivor) already; name \(survivor).", field: field)
            }
        }
        let moving = try allRegistrations(of: merged)
        let staying = try allRegistrations(of: into)
        let held = AccountProtections((moving + staying).filter { $0.id != spared && $0.holdsCustomer(on: now.today) })
        let movingIDs = Set(moving.map(\.id))
        if let (a, b) = held.overlaps(in: policy.catalog).first(where: {
            movingIDs.contains($0.0.registration.id) != movingIDs.contains($0.1.registration.id)
        }) {
            throw WireError(
                .invalidTransition,
                "\(merged) and \(into) cannot be one account while \(a.registration.id) (\(a.productLine)) and "
                    + "\(b.registration.id) (\(b.productLine)) both protect it: end one of them first.",
                field: "merged_account_id")
        }
        // The spared registration is moved by its caller's own step (a review's rejection).
        for registration in moving where registration.id != spared {
            move(registration, to: into, from: merged, actor: actor, reason: reason, at: now)
        }
        let gone = Account(
            id: merged, state: .merged(into: into), actor: actor, changedAt: now.secondsSinceEpoch, reason: reason)
        let survivor = Account(
            id: into, spellings: Self.spellings(of: (staying + moving).sorted { $0.id < $1.id }), actor: actor,
            changedAt: now.secondsSinceEpoch, reason: reason)
        appendAccount(gone, at: now)
        let answer = answering(survivor)
        appendAccount(survivor, answer: answer?.0, routes: answer?.1 ?? [], at: now)
        logger.notice(
            "accounts merged", metadata: ["into": "\(into)", "merged": "\(merged)", "moved": "\(moving.count)"])
        return survivor
    }

    /// One registration's move to another account: its row, its event and a `moved` history line.
    private mutating func move(
        _ registration: Registration, to account: AccountID, from old: AccountID, actor: PartyID, reason: String,
        at now: Moment
    ) {
        var moved = registration
        moved.account = account
        appendStep(
            moved, actor: actor, action: "moved", reason: "Moved from \(old) to \(account): \(reason)",
            answer: nil, routes: [], at: now)
    }

    /// Adds an account's step to this turn; `answer` answers the request at `routes` once it is durable.
    private mutating func appendAccount(
        _ account: Account, answer: StoredAnswer? = nil, routes: [[[UInt8]]] = [], at now: Moment
    ) {
        append(
            RegistryWrite(.account(account), seq: turn.takeSeq(), time: now.secondsSinceEpoch, answer: answer),
            routes: routes, at: now)
    }

    /// The stored answer of a change request answered with `body`.
    private static func storedAnswer(_ request: APIRequest, fingerprint: String, _ body: WireEnvelope.OneOf_Body)
        -> StoredAnswer
    {
        StoredAnswer(
            principal: request.principal.id, requestID: request.requestID, fingerprint: fingerprint,
            reply: EnvelopeCodec.encode(requestID: request.requestID, body: body))
    }

    /// An account id from a request, checked.
    func accountID(_ raw: String, field: String) throws -> AccountID {
        guard !raw.isEmpty else { throw WireError(.missingField, "The account id is required.", field: field) }
        let id = AccountID(raw)
        guard id.number != nil else {
            throw WireError(.invalidField, "'\(raw.prefix(40))' is not an account id (AC-00000001).", field: field)
        }
        return id
    }

    /// The newest state of account `id`: this turn's or the written turn's step, the stored row, or an account a
    /// registration of this turn made; nil when there is none.
    func latestAccount(_ id: AccountID) throws -> Account? {
        if let changed = turn.accounts[id] ?? writingAccount(id) { return changed }
        if let stored = try records.account(id) { return stored }
        return stagedRegistrations.contains { $0.account == id } ? Account(id: id) : nil
    }

    /// Every registration of `account`, oldest first, in its newest state (this turn's moves included).
    func allRegistrations(of account: AccountID) throws -> [Registration] {
        newest(try records.registrations(of: account), of: account)
    }

    /// An account's spellings: the distinct customers (by normalised, packed form) of `registrations` in their
    /// order, the first `Account.maximumSpellings`.
    static func spellings(of registrations: [Registration]) -> [Customer] {
        var seen: Set<PackedCustomer> = []
        var spellings: [Customer] = []
        for registration in registrations where spellings.count < Account.maximumSpellings {
            let customer = registration.request.customer
            if seen.insert(PackedCustomer(NormalizedCustomer(customer))).inserted { spellings.append(customer) }
        }
        return spellings
    }
}

extension Account {
    /// The same account with `spellings`.
    func with(spellings: [Customer]) -> Account {
        var copy = self
        copy.spellings = spellings
        return copy
    }
}
