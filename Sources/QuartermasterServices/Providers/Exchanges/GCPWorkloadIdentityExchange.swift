import AsyncHTTPClient
import Foundation

/// Google Cloud workload identity federation: exchanges a token at Google STS for a federated
/// access token and, when a service account is set, impersonates it through IAM Credentials.
///
/// The requests are the ones google-auth's `identity_pool.Credentials` (an `external_account`
/// configuration with a file credential source) sends:
/// 1. `POST {sts_endpoint}` with the form
///    `grant_type=urn:ietf:params:oauth:grant-type:token-exchange&audience=…&scope=…&requested_token_type=urn:ietf:params:oauth:token-type:access_token&subject_token=…&subject_token_type=urn:ietf:params:oauth:token-type:jwt`
///    (spaces as `+`). The scope is the configured one, or `https://www.googleapis.com/auth/iam`
///    when impersonating, as google-auth asks for it.
/// 2. When impersonating: `POST {iam_endpoint}/v1/projects/-/serviceAccounts/{sa}:generateAccessToken`
///    with `Authorization: Bearer {federated token}` and the JSON
///    `{"delegates": null, "scope": [scopes], "lifetime": "3600s"}`.
///
/// The credential is the federated token (expiring `expires_in` seconds after the request) or the
/// service account's token (expiring at `expireTime`). STS errors show `error` and
/// `error_description`, IAM errors `error.status` and `error.message`.
public struct GCPWorkloadIdentityExchange: CredentialExchange {
    /// Which pool provider, which service account, and where STS and IAM Credentials are.
    public struct Settings: Sendable, Equatable {
        /// The workload identity pool provider,
        /// `//iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER`.
        public var audience: String
        /// The email of the service account to impersonate; the federated token is the credential
        /// when `nil`.
        public var serviceAccount: String?
        /// The scope of the access token; several are separated by spaces.
        public var scope: String
        /// The STS token endpoint, the whole URL.
        public var stsEndpoint: String
        /// The IAM Credentials endpoint, the base URL.
        public var iamEndpoint: String

        /// Creates settings; the defaults are those of `provider-instances.yaml`.
        public init(
            audience: String,
            serviceAccount: String? = nil,
            scope: String = "https://www.googleapis.com/auth/cloud-platform",
            stsEndpoint: String = "https://sts.googleapis.com/v1/token",
            iamEndpoint: String = "https://iamcredentials.googleapis.com"
        ) {
            self.audience = audience
            self.serviceAccount = serviceAccount
            self.scope = scope
            self.stsEndpoint = stsEndpoint
            self.iamEndpoint = iamEndpoint
        }
    }

    /// The service account token lifetime requested, google-auth's default.
    static let impersonationLifetime = "3600s"
    /// The scope the federated token is requested with when it only serves to impersonate.
    static let iamScope = "https://www.googleapis.com/auth/iam"

    public let settings: Settings
    private let token: WebIdentityTokenSource
    private let httpClient: HTTPClient
    private let timeout: Duration

    public var method: String { "gcp_workload_identity" }

    /// An exchange presenting the token from `token`; one fetch (both requests) takes at most
    /// `timeout`.
    public init(settings: Settings, token: @escaping WebIdentityTokenSource, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.settings = settings
        self.token = token
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential {
        let stsURL = try ExchangeEndpoint.validated(settings.stsEndpoint, setting: "the STS endpoint")
        let impersonationURL = try settings.serviceAccount.map { account throws(CredentialExchangeError) in
            // A service account is an email or a numeric unique id: nothing that changes the path.
            guard !account.isEmpty, account.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "@.-_".contains($0)) }) else {
                throw .configuration("the service account '\(account)' is not a service account email")
            }
            return try ExchangeEndpoint.url(
                settings.iamEndpoint,
                appending: "/v1/projects/-/serviceAccounts/\(account):generateAccessToken",
                setting: "the IAM Credentials endpoint"
            )
        }
        let subjectToken = try await ExchangeSecret.read(token, what: "the subject token")
        let transport = ExchangeTransport(client: httpClient, timeout: timeout)

        let exchange = ExchangeRequest(
            method: .POST,
            url: stsURL,
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: ExchangeForm.encode(
                [
                    "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                    "audience": settings.audience,
                    "scope": impersonationURL == nil ? settings.scope : Self.iamScope,
                    "requested_token_type": "urn:ietf:params:oauth:token-type:access_token",
                    "subject_token": subjectToken,
                    "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
                ],
                space: .plus
            )
        )
        let stsResponse = try await transport.send(exchange)
        guard stsResponse.isSuccess else {
            let message = stsResponse.decode(GoogleSTSError.self).flatMap { body in
                body.error.map { code in [code, body.errorDescription].compactMap { $0 }.joined(separator: ": ") }
            }
            throw stsResponse.refusal(message: message, redacting: [subjectToken])
        }
        guard let federated = stsResponse.decode(GoogleSTSToken.self), let federatedToken = federated.accessToken, !federatedToken.isEmpty else {
            throw .malformedResponse("the STS answer is not JSON with an access_token")
        }
        guard let impersonationURL else {
            guard let expiresIn = federated.expiresIn else {
                throw .malformedResponse("the STS answer has no expires_in")
            }
            return ProviderCredential(kind: .bearer(token: federatedToken), expiresAt: now.addingTimeInterval(TimeInterval(expiresIn.value)), obtainedAt: now)
        }

        let scopes = settings.scope.split(separator: " ").map(String.init)
        let impersonation = ExchangeRequest(
            method: .POST,
            url: impersonationURL,
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(federatedToken)")],
            body: ExchangeJSON.object(["delegates": .null, "scope": .strings(scopes), "lifetime": .string(Self.impersonationLifetime)])
        )
        let iamResponse = try await transport.send(impersonation)
        guard iamResponse.isSuccess else {
            let message = iamResponse.decode(GoogleAPIError.self).flatMap { body in
                body.error.message.map { message in [body.error.status, message].compactMap { $0 }.joined(separator: ": ") }
            }
            throw iamResponse.refusal(message: message, redacting: [subjectToken, federatedToken])
        }
        guard let account = iamResponse.decode(GoogleAccessToken.self), let accessToken = account.accessToken, !accessToken.isEmpty,
              let expireTime = account.expireTime
        else {
            throw .malformedResponse("the generateAccessToken answer is not JSON with accessToken and expireTime")
        }
        guard let expiresAt = ExchangeTimestamp.parse(expireTime) else {
            throw .malformedResponse("the generateAccessToken expireTime '\(expireTime.prefix(40))' is not an RFC 3339 time")
        }
        return ProviderCredential(kind: .bearer(token: accessToken), expiresAt: expiresAt, obtainedAt: now)
    }
}

/// STS's success body (the fields used).
private struct GoogleSTSToken: Decodable {
    var accessToken: String?
    var expiresIn: ExchangeSeconds?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", expiresIn = "expires_in"
    }
}

/// STS's OAuth error body.
private struct GoogleSTSError: Decodable {
    var error: String?
    var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error, errorDescription = "error_description"
    }
}

/// `generateAccessToken`'s success body.
private struct GoogleAccessToken: Decodable {
    var accessToken: String?
    var expireTime: String?
}

/// A Google API error body: `{"error": {"code": 403, "message": "…", "status": "PERMISSION_DENIED"}}`.
private struct GoogleAPIError: Decodable {
    struct Detail: Decodable {
        var message: String?
        var status: String?
    }

    var error: Detail
}
