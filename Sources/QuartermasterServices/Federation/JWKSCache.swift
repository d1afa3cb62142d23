import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import Synchronization

/// The signing keys of external token issuers (Kubernetes clusters, attestation services),
/// fetched from their JWKS (discovered through OIDC discovery when no JWKS URL is configured)
/// and cached per issuer.
public final class JWKSCache: Sendable {
    /// Why an issuer's keys could not be had; says which step failed, never echoes a body.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    private struct Cached: Sendable {
        var collection: JWTKeyCollection
        var fetchedAt: Date
    }

    private let http: HTTPClient
    private let ttl: TimeInterval
    private let cache = Mutex<[String: Cached]>([:])

    public init(http: HTTPClient = .shared, ttl: TimeInterval = 300) {
        self.http = http
        self.ttl = ttl
    }

    /// The issuer's keys, from the cache while fresh.
    public func keys(issuer: String, jwksURI: String?, now: Date = Date()) async throws(Failure) -> JWTKeyCollection {
        if let cached = cache.withLock({ $0[issuer] }), now.timeIntervalSince(cached.fetchedAt) < ttl {
            return cached.collection
        }
        let uri: String
        if let jwksURI {
            uri = jwksURI
        } else {
            uri = try await discoverJWKS(issuer)
        }
        let collection = JWTKeyCollection()
        do {
            try await collection.add(jwksJSON: try await fetch(uri))
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "the issuer's JWKS is malformed")
        }
        cache.withLock { $0[issuer] = Cached(collection: collection, fetchedAt: now) }
        return collection
    }

    private func discoverJWKS(_ issuer: String) async throws(Failure) -> String {
        let document = try await fetch(issuer.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/.well-known/openid-configuration")
        guard let object = try? JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any], let uri = object["jwks_uri"] as? String else {
            throw Failure(description: "the issuer's discovery document has no jwks_uri")
        }
        return uri
    }

    private func fetch(_ url: String) async throws(Failure) -> String {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        } catch {
            throw Failure(description: "the issuer cannot be reached")
        }
        guard response.status == .ok else { throw Failure(description: "the issuer answered \(response.status.code)") }
        guard let body = try? await response.body.collect(upTo: 1 << 20) else {
            throw Failure(description: "the issuer's answer is too large or broken")
        }
        return String(buffer: body)
    }
}
