import DealBus
import DealModel
import Foundation
import Testing
import ZeroMQ

/// Every folder that holds a secret key is the owner's alone (SECURITY.md: keystore 0700, key files 0600).
@Suite("Keystore")
struct KeystoreTests {
    /// A fresh folder under the temporary directory, removed by the caller.
    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("keystore-\(UUID().uuidString)")
    }

    static func mode(_ url: URL) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    static func identity(_ id: String) throws -> Identity {
        Identity(id: PartyID(id), kind: .partner, keyPair: try CurveKeyPair.generate())
    }

    @Test func savingTheFirstKeyCreatesAnOwnerOnlyFolder() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let keystore = Keystore(directory: root.appendingPathComponent("data/keys"))
        try keystore.save(Self.identity("acme"))
        #expect(try Self.mode(keystore.directory) == 0o700)
        #expect(try Self.mode(keystore.path(for: PartyID("acme"))) == 0o600)
    }

    @Test func savingAKeyIntoALooserFolderMakesIt0700() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let keystore = Keystore(directory: root.appendingPathComponent("keys"))
        try FileManager.default.createDirectory(
            at: keystore.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try keystore.save(Self.identity("acme"))
        #expect(try Self.mode(keystore.directory) == 0o700)
    }

    @Test func securingAnExistingKeystoreTakesAwayGroupAndOtherAccess() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let keystore = Keystore(directory: root.appendingPathComponent("keys"))
        try keystore.save(Self.identity("acme"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: keystore.directory.path)
        try keystore.secureDirectory()
        #expect(try Self.mode(keystore.directory) == 0o700)
        #expect(try keystore.load(PartyID("acme")).id == PartyID("acme"))
    }

    @Test func aServersKeyFolderIsSecuredWhenItsKeyIsLoadedAgain() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("registry/server.key")
        let created = try Keystore.loadOrCreate(file, id: PartyID("registry"), kind: .service)
        #expect(try Self.mode(file.deletingLastPathComponent()) == 0o700)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: file.deletingLastPathComponent().path)
        let loaded = try Keystore.loadOrCreate(file, id: PartyID("registry"), kind: .service)
        #expect(loaded == created)
        #expect(try Self.mode(file.deletingLastPathComponent()) == 0o700)
    }
}
