import Foundation
import QuartermasterCrypto

/// How the issuer signs and for how long tokens and keys live.
public struct IssuerSettings: Sendable, Equatable {
    /// The issuer URL, used exactly in discovery and in every token's `iss`.
    public var issuer: String
    /// The algorithm for audiences not listed in `audienceAlgorithms`.
    public var defaultAlgorithm: SigningAlgorithm = .es256
    /// Per-audience algorithm, e.g. `sts.amazonaws.com: RS256`.
    public var audienceAlgorithms: [String: SigningAlgorithm] = [:]
    /// How long one key signs before the next takes over.
    public var rotationPeriod: Duration = .seconds(24 * 3600)
    /// No token lives longer than this, whatever the identity asks.
    public var maxTokenTTL: Duration = .seconds(3600)
    /// Default lifetime when neither the request nor the identity says.
    public var defaultTokenTTL: Duration = .seconds(900)
    /// JWKS `Cache-Control: max-age`; a new key is published at least this long before it signs.
    public var jwksCacheTTL: Duration = .seconds(300)
    /// How long a retired key stays published after it stops signing.
    public var keyRetention: Duration = .seconds(3600 + 300)
    /// Accepted clock difference when checking `exp` and `nbf`.
    public var clockSkew: Duration = .seconds(30)

    public init(issuer: String) {
        self.issuer = issuer
    }

    /// The token endpoint URL (the `aud` a client assertion must carry, besides the issuer).
    public var tokenEndpoint: String { issuer + "/oauth2/token" }

    /// Every algorithm some audience uses, the default first.
    public var algorithmsInUse: [SigningAlgorithm] {
        var algorithms = [defaultAlgorithm]
        for algorithm in audienceAlgorithms.values.sorted(by: { $0.rawValue < $1.rawValue }) where !algorithms.contains(algorithm) {
            algorithms.append(algorithm)
        }
        return algorithms
    }

    /// Refuses settings under which a token could outlive its key's publication.
    public func validate() throws(ServiceError) {
        guard maxTokenTTL > .zero, rotationPeriod > .zero else {
            throw .invalidInput("max_token_ttl and key_rotation_period must be positive")
        }
        guard keyRetention >= maxTokenTTL else {
            throw .invalidInput("key_retention (\(keyRetention)) is shorter than max_token_ttl (\(maxTokenTTL)): tokens would outlive their key's publication")
        }
        guard defaultTokenTTL <= maxTokenTTL else {
            throw .invalidInput("default token TTL exceeds max_token_ttl")
        }
    }

    /// The algorithm tokens for `audience` are signed with.
    public func algorithm(for audience: String) -> SigningAlgorithm {
        audienceAlgorithms[audience] ?? defaultAlgorithm
    }
}
