import AsyncHTTPClient
import Foundation

/// IBM Cloud IAM: gets an IAM access token for a trusted profile (with a compute-resource token)
/// or for an API key.
///
/// The requests are the ones ibm-cloud-sdk-core sends: `POST {endpoint}/identity/token` with
/// `Accept: application/json`, no `Authorization`, and the form (spaces as `+`)
/// - trusted profile (`ContainerAuthenticator`):
///   `grant_type=urn:ibm:params:oauth:grant-type:cr-token&cr_token=…&profile_id=…`;
/// - API key (`IAMAuthenticator`):
///   `grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=…&response_type=cloud_iam`.
///
/// The answer's `access_token` becomes a bearer credential expiring at `expiration` (seconds
/// since 1970), or else `expires_in` seconds after the request; an error body's `errorCode` and
/// `errorMessage` become the error's provider text.
public struct IBMIAMExchange: CredentialExchange {
    /// Where IAM is.
    public struct Settings: Sendable, Equatable {
        /// The IAM endpoint, such as `https://iam.cloud.ibm.com` (`/identity/token` is appended).
        public var endpoint: String

        /// Creates settings; the default is IBM Cloud's public IAM.
        public init(endpoint: String = "https://iam.cloud.ibm.com") {
            self.endpoint = endpoint
        }
    }

    /// What is presented to IAM.
    public enum Grant: Sendable {
        /// A trusted profile, with a compute-resource token (a projected service-account token).
        case trustedProfile(profileID: String, crToken: WebIdentityTokenSource)
        /// An API key, from our secret store.
        case apiKey(ProviderSecretSource)
    }

    public let settings: Settings
    private let grant: Grant
    private let httpClient: HTTPClient
    private let timeout: Duration

    /// `ibm_trusted_profile` or `ibm_api_key`.
    public var method: String {
        switch grant {
        case .trustedProfile: "ibm_trusted_profile"
        case .apiKey: "ibm_api_key"
        }
    }

    /// An exchange presenting `grant`; one fetch takes at most `timeout`.
    public init(settings: Settings, grant: Grant, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.settings = settings
        self.grant = grant
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential {
        let url = try ExchangeEndpoint.url(settings.endpoint, appending: "/identity/token", setting: "the IAM endpoint")
        let form: [UInt8]
        let secret: String
        switch grant {
        case .trustedProfile(let profileID, let crToken):
            secret = try await ExchangeSecret.read(crToken, what: "the compute-resource token")
            form = ExchangeForm.encode(
                ["grant_type": "urn:ibm:params:oauth:grant-type:cr-token", "cr_token": secret, "profile_id": profileID],
                space: .plus
            )
        case .apiKey(let apiKey):
            secret = try await ExchangeSecret.read(apiKey, what: "the API key")
            form = ExchangeForm.encode(
                ["grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": secret, "response_type": "cloud_iam"],
                space: .plus
            )
        }
        let request = ExchangeRequest(
            method: .POST,
            url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: form
        )
        let response = try await ExchangeTransport(client: httpClient, timeout: timeout).send(request)
        guard response.isSuccess else {
            let message = response.decode(IBMIAMError.self).flatMap { body in
                body.errorCode.map { code in [code, body.errorMessage].compactMap { $0 }.joined(separator: ": ") }
            }
            throw response.refusal(message: message, redacting: [secret])
        }
        guard let body = response.decode(IBMIAMToken.self), let accessToken = body.accessToken, !accessToken.isEmpty else {
            throw .malformedResponse("the IAM answer is not JSON with an access_token")
        }
        let expiresAt: Date
        if let expiration = body.expiration {
            expiresAt = Date(timeIntervalSince1970: TimeInterval(expiration.value))
        } else if let expiresIn = body.expiresIn {
            expiresAt = now.addingTimeInterval(TimeInterval(expiresIn.value))
        } else {
            throw .malformedResponse("the IAM answer has neither expiration nor expires_in")
        }
        return ProviderCredential(kind: .bearer(token: accessToken), expiresAt: expiresAt, obtainedAt: now)
    }
}

/// IAM's token body (the fields used).
private struct IBMIAMToken: Decodable {
    var accessToken: String?
    var expiration: ExchangeSeconds?
    var expiresIn: ExchangeSeconds?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", expiration, expiresIn = "expires_in"
    }
}

/// IAM's error body: `{"errorCode": "BXNIM0415E", "errorMessage": "…", "context": {…}}`.
private struct IBMIAMError: Decodable {
    var errorCode: String?
    var errorMessage: String?
}
