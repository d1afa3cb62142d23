import Foundation
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Key ring schedule")
struct KeyRingTests {
    private func ring(_ test: TestBackend, settings: IssuerSettings = IssuerSettings(issuer: "https://qm.test")) async throws -> KeyRing {
        KeyRing(store: test.backend.signingKeys, rootKeys: try await Fixtures.keyring(test.backend), settings: settings)
    }

    @Test("the first start creates one ES256 key that signs at once and is published", arguments: BackendKind.available)
    func firstStart(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let keys = try await ring(test)
        let now = Date()
        try await keys.maintain(now: now)
        #expect(keys.entries.count == 1)
        #expect(keys.jwks.map(\.alg) == ["ES256"])
        #expect(try keys.signingKey(.es256, now: now) == keys.entries[0].stored.kid)
        let stored = try await test.backend.signingKeys.all()
        #expect(!String(decoding: stored[0].sealedPrivateKey, as: UTF8.self).contains("PRIVATE KEY"))
    }

    @Test("a successor is published before the current key stops signing, and signs only from then")
    func successorPublishedAhead() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        var settings = IssuerSettings(issuer: "https://qm.test")
        settings.rotationPeriod = .seconds(3600)
        settings.jwksCacheTTL = .seconds(300)
        let keys = try await ring(test, settings: settings)
        let start = Date()
        try await keys.maintain(now: start)
        let first = try keys.signingKey(.es256, now: start)
        let nearEnd = start.addingTimeInterval(3600 - 400)
        try await keys.maintain(now: nearEnd)
        #expect(keys.entries.count == 2)
        #expect(try keys.signingKey(.es256, now: nearEnd) == first)
        let afterTakeover = start.addingTimeInterval(3600 + 1)
        #expect(try keys.signingKey(.es256, now: afterTakeover) != first)
    }

    @Test("a retired key stays published for the retention period and is then deleted")
    func retention() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        var settings = IssuerSettings(issuer: "https://qm.test")
        settings.rotationPeriod = .seconds(3600)
        settings.keyRetention = .seconds(7200)
        let keys = try await ring(test, settings: settings)
        let start = Date()
        try await keys.maintain(now: start)
        let first = keys.entries[0].stored.kid
        try await keys.maintain(now: start.addingTimeInterval(3600 + 60))
        #expect(keys.jwks.contains { $0.kid == first })
        try await keys.maintain(now: start.addingTimeInterval(3600 + 7200 + 60))
        #expect(!keys.jwks.contains { $0.kid == first })
    }

    @Test("rotate publishes a key that signs after one cache period, or at once when immediate")
    func rotate() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let keys = try await ring(test)
        let now = Date()
        try await keys.maintain(now: now)
        let first = try keys.signingKey(.es256, now: now)
        let scheduled = try await keys.rotate(immediate: false, now: now)
        #expect(try keys.signingKey(.es256, now: now) == first)
        #expect(try keys.signingKey(.es256, now: now.addingTimeInterval(301)) == scheduled.stored.kid)
        let urgent = try await keys.rotate(immediate: true, now: now)
        #expect(try keys.signingKey(.es256, now: now) == urgent.stored.kid)
        #expect(keys.jwks.contains { $0.kid == first })
    }

    @Test("audiences configured for RS256 and EdDSA get keys of their own")
    func perAudienceAlgorithms() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        var settings = IssuerSettings(issuer: "https://qm.test")
        settings.audienceAlgorithms = ["sts.amazonaws.com": .rs256, "edge": .eddsa]
        let keys = try await ring(test, settings: settings)
        try await keys.maintain()
        #expect(Set(keys.jwks.map(\.alg)) == ["ES256", "RS256", "EdDSA"])
        #expect(keys.jwks.first { $0.alg == "RS256" }?.n != nil)
    }

    @Test("signing keys sealed under one root keyring do not load when the keyring's seal key is another")
    func wrongRootKey() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        try await ring(test).maintain()
        await #expect(throws: RootKeyError.self) {
            try await ring(test).maintain()
        }
    }

    @Test("settings under which tokens outlive their key's publication are refused")
    func unsafeSettings() {
        var settings = IssuerSettings(issuer: "https://qm.test")
        settings.maxTokenTTL = .seconds(7200)
        settings.keyRetention = .seconds(3600)
        #expect(throws: ServiceError.self) { try settings.validate() }
    }
}
