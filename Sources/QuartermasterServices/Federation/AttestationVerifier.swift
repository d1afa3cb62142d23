import Foundation
import JWTKit
import QuartermasterCore
import QuartermasterCrypto

/// Verifies attestation tokens: JWTs from an attestation service the policy trusts, signed by a
/// key in its JWKS, current, bound to our audience. The verified measurement becomes the
/// `attestation_measurement` request attribute that policy conditions check.
public struct AttestationVerifier: Sendable {
    /// What a verified token proves.
    public struct Attestation: Sendable, Equatable {
        public var issuer: String
        /// `sha256:<hex>` (or sha384/sha512), lowercase.
        public var measurement: String
        public var expiresAt: Date
    }

    /// Tokens longer than this are refused before any parsing.
    public static let maxTokenBytes = 16 * 1024

    private let keys: JWKSCache

    public init(keys: JWKSCache = JWKSCache()) {
        self.keys = keys
    }

    /// The verified attestation, or `ServiceError.unauthenticated` saying what is wrong.
    public func verify(_ token: String, policy: Policy, now: Date = Date(), skew: TimeInterval = 30) async throws(ServiceError) -> Attestation {
        guard token.utf8.count <= Self.maxTokenBytes, JWTHeaderPeek(token: token) != nil,
              let payload = JWTHeaderPeek.unverifiedPayload(of: token), let issuerURL = payload["iss"] as? String
        else { throw .unauthenticated("the attestation token is not a well-formed JWT") }
        guard let issuer = policy.attestationIssuer(issuerURL) else {
            throw .unauthenticated("the attestation token's issuer is not an attestation service the policy trusts")
        }
        let claims: AttestationClaims
        do {
            claims = try await keys.keys(issuer: issuer.issuer, jwksURI: issuer.jwksURI, now: now).verify(token, as: AttestationClaims.self)
        } catch let failure as JWKSCache.Failure {
            throw .unavailable("attestation service \(issuer.issuer): \(failure)")
        } catch {
            throw .unauthenticated("the attestation token's signature does not verify against its issuer's keys")
        }
        guard claims.iss == issuer.issuer else { throw .unauthenticated("the attestation token's issuer does not match") }
        guard claims.exp.timeIntervalSince(now) + skew > 0 else { throw .unauthenticated("the attestation token has expired") }
        if let nbf = claims.nbf, nbf.timeIntervalSince(now) - skew > 0 { throw .unauthenticated("the attestation token is not valid yet") }
        let audiences = issuer.audiences.isEmpty ? ["quartermaster"] : issuer.audiences
        guard claims.aud.contains(where: audiences.contains) else { throw .unauthenticated("the attestation token is not bound to this audience") }
        guard let raw = claims.strings[issuer.measurementClaim] else {
            throw .unauthenticated("the attestation token has no '\(issuer.measurementClaim)' claim")
        }
        guard let measurement = Self.normalizedMeasurement(raw) else {
            throw .unauthenticated("the attestation token's measurement is not a hex digest")
        }
        return Attestation(issuer: issuer.issuer, measurement: measurement, expiresAt: claims.exp)
    }

    /// `alg:hex` as given (lowercased), or a bare hex digest prefixed by its algorithm.
    static func normalizedMeasurement(_ raw: String) -> String? {
        let text = raw.lowercased()
        let parts = text.split(separator: ":", maxSplits: 1)
        let hex = parts.last.map(String.init) ?? ""
        guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit) else { return nil }
        let algorithmByLength = [64: "sha256", 96: "sha384", 128: "sha512"]
        if parts.count == 2 {
            return algorithmByLength.values.contains(String(parts[0])) && algorithmByLength[hex.count] == String(parts[0]) ? text : nil
        }
        return algorithmByLength[hex.count].map { "\($0):\(hex)" }
    }
}

/// The claims of an attestation token: the registered ones, plus every string-valued claim so
/// the configured measurement claim can be read by name.
struct AttestationClaims: JWTPayload {
    var iss: String
    var aud: [String]
    var exp: Date
    var nbf: Date?
    var strings: [String: String]

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private enum CodingKeys: String, CodingKey { case iss, aud, exp, nbf }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decode(String.self, forKey: .iss)
        aud = try container.decodeAudience(forKey: .aud)
        exp = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .exp))
        nbf = try container.decodeIfPresent(Double.self, forKey: .nbf).map { Date(timeIntervalSince1970: $0) }
        let all = try decoder.container(keyedBy: AnyKey.self)
        var strings: [String: String] = [:]
        for key in all.allKeys {
            if let value = try? all.decode(String.self, forKey: key) { strings[key.stringValue] = value }
        }
        self.strings = strings
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iss, forKey: .iss)
        try container.encode(aud, forKey: .aud)
        try container.encode(exp.timeIntervalSince1970, forKey: .exp)
        try container.encodeIfPresent(nbf?.timeIntervalSince1970, forKey: .nbf)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
