import Foundation
import JWTKit
import Synchronization

/// Signs and verifies Quartermaster tokens with the key ring's keys.
///
/// jwt-kit's key collection is an actor, so one collection would serialise every signature
/// on one core. The signer keeps one collection per core and spreads calls across them.
public final class TokenSigner: Sendable {
    private let collections: [JWTKeyCollection]
    private let algorithms: [String: SigningAlgorithm]
    private let next = Atomic<Int>(0)

    /// Builds collections holding `keys` (private halves: they sign and verify).
    public static func make(keys: [SigningKeyMaterial], lanes: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) async throws -> TokenSigner {
        var collections: [JWTKeyCollection] = []
        for _ in 0..<lanes {
            let collection = JWTKeyCollection()
            for key in keys { try await key.add(to: collection) }
            collections.append(collection)
        }
        return TokenSigner(collections: collections, algorithms: Dictionary(keys.map { ($0.kid, $0.algorithm) }, uniquingKeysWith: { first, _ in first }))
    }

    private init(collections: [JWTKeyCollection], algorithms: [String: SigningAlgorithm]) {
        self.collections = collections
        self.algorithms = algorithms
    }

    private var lane: JWTKeyCollection {
        collections[next.wrappingAdd(1, ordering: .relaxed).oldValue % collections.count]
    }

    /// A compact JWS with header `{alg, kid, typ: at+jwt}`.
    public func sign(_ claims: AccessTokenClaims, kid: String) async throws -> String {
        guard let algorithm = algorithms[kid] else { throw TokenVerificationError.unknownKey }
        var header = JWTHeader()
        header.typ = "at+jwt"
        header.alg = algorithm.rawValue
        return try await lane.sign(claims, kid: JWKIdentifier(string: kid), header: header)
    }

    /// Checks shape, algorithm, key id and signature, and decodes the claims. Time, issuer,
    /// audience and revocation are the caller's to check.
    public func verify(_ token: String) async throws(TokenVerificationError) -> AccessTokenClaims {
        guard let header = JWTHeaderPeek(token: token) else { throw .malformed }
        guard let kid = header.kid else { throw .unknownKey }
        guard let algorithm = algorithms[kid] else { throw .unknownKey }
        guard header.alg == algorithm.rawValue else { throw .algorithmMismatch(header.alg) }
        do {
            return try await lane.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw .badSignature
        }
    }
}

/// Why a token was refused. Descriptions never contain the token.
public enum TokenVerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed
    case unknownKey
    case algorithmMismatch(String)
    case badSignature
    case expired
    case notYetValid
    case wrongIssuer
    case wrongAudience
    case revoked
    case untrustedIssuer

    public var description: String {
        switch self {
        case .malformed: "the token is not a well-formed JWT"
        case .unknownKey: "the token's key id is not one of ours"
        case .algorithmMismatch(let alg): "the token's algorithm \(alg) is not its key's algorithm"
        case .badSignature: "the token's signature does not verify"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .wrongIssuer: "the token was issued by someone else"
        case .wrongAudience: "the token is not meant for this audience"
        case .revoked: "the token has been revoked"
        case .untrustedIssuer: "the token's issuer is not trusted by the policy"
        }
    }
}
