/// GCP workload identity federation (provider `gcp_workload_identity`): a token is exchanged at
/// Google STS for a federated access token, optionally impersonating a service account through
/// IAM Credentials `generateAccessToken`.
public struct GCPWorkloadIdentityConfig: Sendable, Hashable {
    /// How a workload identity pool provider's resource name starts.
    public static let audiencePrefix = "//iam.googleapis.com/"
    /// The scope requested when `scope` is not given.
    public static let defaultScope = "https://www.googleapis.com/auth/cloud-platform"
    /// The STS token endpoint when `sts_endpoint` is not given.
    public static let defaultSTSEndpoint = "https://sts.googleapis.com/v1/token"
    /// The IAM Credentials endpoint when `iam_endpoint` is not given.
    public static let defaultIAMEndpoint = "https://iamcredentials.googleapis.com"

    /// The workload identity pool provider, `//iam.googleapis.com/projects/.../providers/...`:
    /// the STS `audience`, and the audience of tokens our issuer mints.
    public let audience: String
    /// The service account to impersonate; the federated token is used directly when `nil`.
    public let serviceAccount: String?
    /// The scope of the access token.
    public let scope: String
    /// Where the subject token comes from.
    public let source: WebIdentitySource
    /// The STS token endpoint: https, or http on a loopback host.
    public let stsEndpoint: String
    /// The IAM Credentials endpoint: https, or http on a loopback host.
    public let iamEndpoint: String

    /// Creates the configuration; omitted values take the documented defaults.
    public init(
        audience: String,
        serviceAccount: String? = nil,
        scope: String = Self.defaultScope,
        source: WebIdentitySource,
        stsEndpoint: String = Self.defaultSTSEndpoint,
        iamEndpoint: String = Self.defaultIAMEndpoint
    ) {
        self.audience = audience
        self.serviceAccount = serviceAccount
        self.scope = scope
        self.source = source
        self.stsEndpoint = stsEndpoint
        self.iamEndpoint = iamEndpoint
    }
}
