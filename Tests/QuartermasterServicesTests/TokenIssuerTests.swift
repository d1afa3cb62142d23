import Foundation
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Token issuer")
struct TokenIssuerTests {
    struct Setup {
        let test: TestBackend
        let issuer: TokenIssuer
    }

    private func setup(_ kind: BackendKind = .sqlite) async throws -> Setup {
        let test = try await TestBackend.make(kind)
        let policies = PolicyService(store: test.backend.policies)
        try await policies.apply(yaml: Fixtures.policy, sourceName: "policy.yaml", by: "test")
        let keys = KeyRing(store: test.backend.signingKeys, rootKeys: try await Fixtures.keyring(test.backend), settings: IssuerSettings(issuer: "https://qm.test"))
        // The first key signs from two hours ago, so that tests can mint tokens in the past.
        try await keys.maintain(now: Date().addingTimeInterval(-7200))
        return Setup(test: test, issuer: TokenIssuer(keys: keys, policies: policies, revocations: test.backend.revocations))
    }

    @Test("an issued token verifies and carries the RFC 9068 claims", arguments: BackendKind.available)
    func roundTrip(kind: BackendKind) async throws {
        let setup = try await setup(kind)
        defer { Task { try await setup.test.cleanup() } }
        let issued = try await setup.issuer.issue(TokenRequest(subject: "gateway-service", clientID: "c1", clusterID: "prod-eu-1"))
        let claims = try await setup.issuer.verify(issued.token)
        #expect(claims.sub == "gateway-service")
        #expect(claims.iss == "https://qm.test")
        #expect(claims.aud == ["quartermaster"])
        #expect(claims.cluster_id == "prod-eu-1")
        #expect(claims.exp - claims.iat == issued.expiresIn)
        let header = try #require(JWTHeaderPeek(token: issued.token))
        #expect(header.typ == "at+jwt")
        #expect(header.alg == "ES256")
    }

    @Test("an identity not in the policy or an audience it may not hold is refused")
    func refusedIssuance() async throws {
        let setup = try await setup()
        defer { Task { try await setup.test.cleanup() } }
        await #expect(throws: ServiceError.self) { try await setup.issuer.issue(TokenRequest(subject: "nobody", clientID: "c1")) }
        await #expect(throws: ServiceError.self) { try await setup.issuer.issue(TokenRequest(subject: "gateway-service", clientID: "c1", audience: "sts.amazonaws.com")) }
    }

    @Test("expired, not-yet-valid, wrong-audience and revoked tokens are refused")
    func refusedVerification() async throws {
        let setup = try await setup()
        defer { Task { try await setup.test.cleanup() } }
        let past = Date().addingTimeInterval(-7200)
        let old = try await setup.issuer.issue(TokenRequest(subject: "gateway-service", clientID: "c1"), now: past)
        await #expect(throws: TokenVerificationError.expired) { try await setup.issuer.verify(old.token) }
        let future = try await setup.issuer.issue(TokenRequest(subject: "gateway-service", clientID: "c1"), now: Date().addingTimeInterval(600))
        await #expect(throws: TokenVerificationError.notYetValid) { try await setup.issuer.verify(future.token) }
        let good = try await setup.issuer.issue(TokenRequest(subject: "gateway-service", clientID: "c1"))
        await #expect(throws: TokenVerificationError.wrongAudience) { try await setup.issuer.verify(good.token, audience: "elsewhere") }
        try await setup.test.backend.revocations.revoke(StoredRevocation(jti: good.claims.jti, revokedAt: Date(), expiresAt: Date().addingTimeInterval(900), reason: "test"))
        await #expect(throws: TokenVerificationError.revoked) { try await setup.issuer.verify(good.token) }
    }

    @Test("a tampered payload, an unknown kid, alg none and HS256 are refused before trust")
    func forgedTokens() async throws {
        let setup = try await setup()
        defer { Task { try await setup.test.cleanup() } }
        let good = try await setup.issuer.issue(TokenRequest(subject: "gateway-service", clientID: "c1")).token
        let parts = good.split(separator: ".").map(String.init)
        let forgedPayload = Data(#"{"iss":"https://qm.test","sub":"admin","aud":["quartermaster"],"iat":1,"nbf":1,"exp":9999999999,"jti":"x","client_id":"c1"}"#.utf8).base64URLEncodedString()
        await #expect(throws: TokenVerificationError.badSignature) { try await setup.issuer.verify([parts[0], forgedPayload, parts[2]].joined(separator: ".")) }
        let kid = try #require(JWTHeaderPeek(token: good)?.kid)
        let none = Data(#"{"alg":"none","kid":"\#(kid)"}"#.utf8).base64URLEncodedString()
        await #expect(throws: TokenVerificationError.algorithmMismatch("none")) { try await setup.issuer.verify([none, parts[1], "x"].joined(separator: ".")) }
        let hs256 = Data(#"{"alg":"HS256","kid":"\#(kid)"}"#.utf8).base64URLEncodedString()
        await #expect(throws: TokenVerificationError.algorithmMismatch("HS256")) { try await setup.issuer.verify([hs256, parts[1], parts[2]].joined(separator: ".")) }
        let unknown = Data(#"{"alg":"ES256","kid":"nope"}"#.utf8).base64URLEncodedString()
        await #expect(throws: TokenVerificationError.unknownKey) { try await setup.issuer.verify([unknown, parts[1], parts[2]].joined(separator: ".")) }
        await #expect(throws: TokenVerificationError.malformed) { try await setup.issuer.verify(String(repeating: "a", count: 9000)) }
    }

    @Test("scopes only narrow")
    func scopes() {
        #expect(TokenScope.narrows(["read:secret/llm/openai"], within: ["read:secret/llm/**"]))
        #expect(!TokenScope.narrows(["read:secret/**"], within: ["read:secret/llm/**"]))
        #expect(!TokenScope.narrows(["write:secret/llm/openai"], within: ["read:secret/llm/**"]))
        #expect(TokenScope.parse("  ") == nil)
    }
}
