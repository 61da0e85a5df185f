/// Why a store location (a `sqlite:` path or a `postgres://` URL) or its password could not be used: one sentence
/// naming what is wrong, never the password. A value; `Sendable`.
public struct StoreLocationError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
