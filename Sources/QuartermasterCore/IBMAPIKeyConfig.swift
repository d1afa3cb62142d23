/// An IBM Cloud API key kept in our secret store (provider `ibm_api_key`), exchanged at IAM
/// (`grant_type=urn:ibm:params:oauth:grant-type:apikey`) for short-lived IAM access tokens.
public struct IBMAPIKeyConfig: Sendable, Hashable {
    /// The field of the secret that holds the API key.
    public static let field = "api_key"

    /// The path in our secret store (below `secret/`) of the secret holding the key.
    public let apiKeySecret: String
    /// The IAM endpoint: https, or http on a loopback host.
    public let endpoint: String

    /// Creates the configuration; omitted values take the documented defaults.
    public init(apiKeySecret: String, endpoint: String = IBMTrustedProfileConfig.defaultEndpoint) {
        self.apiKeySecret = apiKeySecret
        self.endpoint = endpoint
    }
}
