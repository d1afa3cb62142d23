import AsyncHTTPClient
import Foundation

/// Microsoft Entra workload identity federation: presents a federated token as a client
/// assertion in a client-credentials grant and gets an access token.
///
/// The request is the one azure-identity's `WorkloadIdentityCredential` (through
/// `ClientAssertionCredential`) sends: `POST {authority}/{tenant}/oauth2/v2.0/token` with the form
/// `client_assertion=…&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_id=…&grant_type=client_credentials&scope=…`
/// (spaces as `+`) and a fresh `x-ms-client-request-id` for correlation with Entra's sign-in logs.
/// The answer's `access_token` becomes a bearer credential expiring at `expires_on`, or else
/// `expires_in` seconds after the request; an error body's `error` and `error_description` become
/// the error's provider text.
public struct AzureWorkloadIdentityExchange: CredentialExchange {
    /// Which app registration or managed identity, for which scope, at which authority.
    public struct Settings: Sendable, Equatable {
        /// The directory (tenant) id.
        public var tenantID: String
        /// The application (client) id of the app registration or managed identity.
        public var clientID: String
        /// The scope requested; several are separated by spaces.
        public var scope: String
        /// The authority host, such as `https://login.microsoftonline.com`.
        public var authority: String

        /// Creates settings; the defaults are those of `provider-instances.yaml` (Azure OpenAI on
        /// the public cloud).
        public init(
            tenantID: String,
            clientID: String,
            scope: String = "https://cognitiveservices.azure.com/.default",
            authority: String = "https://login.microsoftonline.com"
        ) {
            self.tenantID = tenantID
            self.clientID = clientID
            self.scope = scope
            self.authority = authority
        }
    }

    public let settings: Settings
    private let token: WebIdentityTokenSource
    private let httpClient: HTTPClient
    private let timeout: Duration

    public var method: String { "azure_workload_identity" }

    /// An exchange presenting the token from `token`; one fetch takes at most `timeout`.
    public init(settings: Settings, token: @escaping WebIdentityTokenSource, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.settings = settings
        self.token = token
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential {
        // As azure-identity: a tenant is letters, digits, '-' and '.', so it cannot change the path.
        guard !settings.tenantID.isEmpty,
              settings.tenantID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            throw .configuration("the tenant id '\(settings.tenantID)' may only hold letters, digits, '-' and '.'")
        }
        let url = try ExchangeEndpoint.url(settings.authority, appending: "/\(settings.tenantID)/oauth2/v2.0/token", setting: "the authority")
        let assertion = try await ExchangeSecret.read(token, what: "the federated token")
        let form = ExchangeForm.encode(
            [
                "client_assertion": assertion,
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_id": settings.clientID,
                "grant_type": "client_credentials",
                "scope": settings.scope,
            ],
            space: .plus
        )
        let request = ExchangeRequest(
            method: .POST,
            url: url,
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("x-ms-client-request-id", UUID().uuidString.lowercased()),
            ],
            body: form
        )
        let response = try await ExchangeTransport(client: httpClient, timeout: timeout).send(request)
        guard response.isSuccess else {
            let message = response.decode(EntraError.self).flatMap { body in
                body.error.map { code in [code, body.errorDescription].compactMap { $0 }.joined(separator: ": ") }
            }
            throw response.refusal(message: message, redacting: [assertion])
        }
        guard let body = response.decode(EntraToken.self), let accessToken = body.accessToken, !accessToken.isEmpty else {
            throw .malformedResponse("the Entra token answer is not JSON with an access_token")
        }
        let expiresAt: Date
        if let expiresOn = body.expiresOn {
            expiresAt = Date(timeIntervalSince1970: TimeInterval(expiresOn.value))
        } else if let expiresIn = body.expiresIn {
            expiresAt = now.addingTimeInterval(TimeInterval(expiresIn.value))
        } else {
            throw .malformedResponse("the Entra token answer has neither expires_in nor expires_on")
        }
        return ProviderCredential(kind: .bearer(token: accessToken), expiresAt: expiresAt, obtainedAt: now)
    }
}

/// The token endpoint's success body (the fields used).
private struct EntraToken: Decodable {
    var accessToken: String?
    var expiresIn: ExchangeSeconds?
    var expiresOn: ExchangeSeconds?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", expiresIn = "expires_in", expiresOn = "expires_on"
    }
}

/// The token endpoint's error body (the fields shown).
private struct EntraError: Decodable {
    var error: String?
    var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error, errorDescription = "error_description"
    }
}
