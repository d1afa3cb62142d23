import Foundation
import Hummingbird
import QuartermasterCore
import QuartermasterServices

/// Brokered provider credentials. `GET /v1/credentials/{instance}` hands the instance's current
/// short-lived credential to an identity the policy allows `read` on `provider/{instance}`,
/// under a lease that ends when the credential does; the audit record holds only its HMAC.
/// `GET /v1/providers` (`read sys/providers`) shows each instance's refresh state.
struct CredentialRoutes {
    let components: ServerComponents

    /// A lease on a credential that does not expire lasts this long unless the grant says less.
    static let unexpiringLease: TimeInterval = 3600

    struct CredentialView: Encodable {
        var type: String
        var token: String?
        var access_key_id: String?
        var secret_access_key: String?
        var session_token: String?
        var api_key: String?
        var private_key_pem: String?

        init(_ kind: ProviderCredential.Kind) {
            type = kind.name
            switch kind {
            case .bearer(let value): token = value
            case .aws(let accessKeyID, let secretAccessKey, let sessionToken):
                access_key_id = accessKeyID
                secret_access_key = secretAccessKey
                session_token = sessionToken
            case .apiKey(let value): api_key = value
            case .ociSession(let sessionToken, let privateKeyPEM):
                session_token = sessionToken
                private_key_pem = privateKeyPEM
            }
        }

        /// The secret material in one stable string, for the audit HMAC.
        static func material(_ kind: ProviderCredential.Kind) -> String {
            switch kind {
            case .bearer(let value), .apiKey(let value): value
            case .aws(let accessKeyID, let secretAccessKey, let sessionToken): "\(accessKeyID)\n\(secretAccessKey)\n\(sessionToken)"
            case .ociSession(let sessionToken, let privateKeyPEM): "\(sessionToken)\n\(privateKeyPEM)"
            }
        }
    }

    struct Answer: Encodable {
        var instance: String
        var provider: String
        var method: String
        var expires_at: Date?
        var lease_id: String
        var lease_duration: Int
        var renewable: Bool
        var credential: CredentialView
    }

    struct StatusView: Encodable {
        var instance: String
        var provider: String
        var method: String
        var obtained_at: Date?
        var expires_at: Date?
        var last_attempt: Date?
        var last_success: Date?
        var last_error: String?
        var next_attempt: Date?
        var consecutive_failures: Int

        init(_ status: CredentialRefresher.Status) {
            instance = status.instance
            provider = status.type
            method = status.method
            obtained_at = status.obtainedAt
            expires_at = status.expiresAt
            last_attempt = status.lastAttempt
            last_success = status.lastSuccess
            last_error = status.lastError
            next_attempt = status.nextAttempt
            consecutive_failures = status.consecutiveFailures
        }
    }

    struct StatusList: Encodable { var providers: [StatusView] }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let providers = components.providers
        let leases = components.leases
        let audit = components.audit

        router.get("/v1/credentials/:instance") { request, context in
            let name = context.parameters.get("instance") ?? ""
            let resource = "provider/" + name
            guard ResourcePath.isValid(resource) else {
                throw APIError(status: .badRequest, error: "invalid_request", detail: "an instance name is one path segment")
            }
            let caller = try await gate.authenticate(bearer: request.bearerToken, action: "read", resource: resource, request: context.requestInfo)
            // One audit record per handout: the decision and the outcome together.
            let decision = try await gate.decide(caller, action: "read", resource: resource, request: context.requestInfo)
            do {
                guard let providers else { throw ServiceError.notFound("no provider instances are configured") }
                let now = Date()
                let (instance, credential) = try providers.credential(instance: name, now: now)
                var seconds = credential.expiresAt.map { $0.timeIntervalSince(now) } ?? Self.unexpiringLease
                if let terms = decision.grant?.lease { seconds = min(seconds, terms.ttl.seconds) }
                let lifetime = Duration.seconds(max(1, seconds.rounded(.down)))
                let lease = try await leases.grant(kind: "provider", resource: resource, terms: LeaseTerms(ttl: lifetime, maxTTL: lifetime, renewable: false), to: caller, now: now)
                try await gate.recordAllowed(caller, decision: decision, action: "read", resource: resource, outcome: "handed out the \(instance.method) credential",
                                             details: ["credential": audit.mac(CredentialView.material(credential.kind)), "lease_id": lease.id], request: context.requestInfo)
                return JSONResponse.make(Answer(
                    instance: instance.name, provider: instance.type.rawValue, method: instance.method, expires_at: credential.expiresAt,
                    lease_id: lease.id, lease_duration: Int(lease.expiresAt.timeIntervalSince(lease.issuedAt).rounded(.down)), renewable: false,
                    credential: CredentialView(credential.kind)
                ))
            } catch {
                try await gate.recordAllowed(caller, decision: decision, action: "read", resource: resource, outcome: "not served: \(error)", details: ["outcome": "error"], request: context.requestInfo)
                throw error
            }
        }

        router.get("/v1/providers") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/providers", request: context.requestInfo)
            return JSONResponse.make(StatusList(providers: (providers?.statuses() ?? []).map(StatusView.init)))
        }
    }
}
