import Foundation
import QuartermasterStorage

/// An instant `seconds` (plus `micros`) after a fixed base, exact at storage precision, so a
/// value read back equals the one written.
func instant(_ seconds: Int64, micros: Int64 = 0) -> Date {
    let base: Int64 = 1_750_000_000_000_000
    return Date(timeIntervalSince1970: Double(base + seconds * 1_000_000 + micros) / 1_000_000)
}

/// Sealed-key bytes covering every byte value, distinct per `seed`.
func sealedBytes(_ seed: UInt8 = 0) -> Data {
    Data((0...255).map { UInt8($0) &+ seed })
}

func signingKey(kid: String, signsFrom: Int64, algorithm: String = "ES256") -> StoredSigningKey {
    StoredSigningKey(
        kid: kid, algorithm: algorithm, sealedPrivateKey: sealedBytes(UInt8(truncatingIfNeeded: kid.utf8.count)),
        publicJWK: #"{"kty":"EC","crv":"P-256","kid":"\#(kid)","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
        createdAt: instant(signsFrom - 3600, micros: 123_456), signsFrom: instant(signsFrom, micros: 1),
        signsUntil: instant(signsFrom + 86_400), publishedUntil: instant(signsFrom + 2 * 86_400, micros: 999_999))
}

func oauthClient(_ clientID: String, created: Int64, secret: Bool = true) -> StoredClient {
    StoredClient(
        clientID: clientID, identity: "svc-\(clientID)", secretHash: secret ? String(repeating: "7", count: 64) : nil,
        jwks: secret ? nil : #"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#,
        createdAt: instant(created, micros: 42))
}

func registration(_ instanceID: String, service: String, at seconds: Int64) -> StoredRegistration {
    StoredRegistration(
        instanceID: instanceID, service: service, clusterID: "cluster-eu-1", registeredAt: instant(seconds, micros: 7),
        credentialID: "jti-\(instanceID)-\(seconds)")
}

func revocation(_ jti: String, revoked: Int64, expires: Int64, reason: String = "compromised") -> StoredRevocation {
    StoredRevocation(jti: jti, revokedAt: instant(revoked), expiresAt: instant(expires), reason: reason)
}

func apiKey(_ id: String, identity: String = "ci", created: Int64 = 0, roles: [String] = ["deployer"]) -> StoredAPIKey {
    StoredAPIKey(
        id: id, identity: identity, name: "key \(id)", roles: roles, secretHMAC: String(repeating: "b", count: 64),
        createdAt: instant(created, micros: 500))
}

/// Runs `count` copies of `body` at once and returns their results.
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: T.self) { group in
        for index in 0..<count {
            group.addTask { try await body(index) }
        }
        return try await group.reduce(into: [T]()) { $0.append($1) }
    }
}
