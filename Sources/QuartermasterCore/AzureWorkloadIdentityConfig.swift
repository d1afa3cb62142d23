/// Azure AD workload identity federation (provider `azure_workload_identity`): a federated token
/// is presented as a client assertion to get an access token for an app registration or
/// managed identity.
public struct AzureWorkloadIdentityConfig: Sendable, Hashable {
    /// The scope requested when `scope` is not given: Azure OpenAI (Cognitive Services).
    public static let defaultScope = "https://cognitiveservices.azure.com/.default"
    /// The audience of tokens our issuer mints when `audience` is not given.
    public static let defaultAudience = "api://AzureADTokenExchange"
    /// The Microsoft Entra authority when `authority` is not given.
    public static let defaultAuthority = "https://login.microsoftonline.com"

    /// The directory (tenant) id, a GUID.
    public let tenantID: String
    /// The application (client) id of the app registration or managed identity, a GUID.
    public let clientID: String
    /// The scope of the access token.
    public let scope: String
    /// Where the federated token comes from.
    public let source: WebIdentitySource
    /// The authority host: https, or http on a loopback host.
    public let authority: String

    /// Creates the configuration; omitted values take the documented defaults.
    public init(
        tenantID: String,
        clientID: String,
        scope: String = Self.defaultScope,
        source: WebIdentitySource,
        authority: String = Self.defaultAuthority
    ) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.scope = scope
        self.source = source
        self.authority = authority
    }
}
