/// IBM Cloud IAM trusted profile with a compute-resource token (provider `ibm_trusted_profile`):
/// the token is exchanged at IAM (`grant_type=urn:ibm:params:oauth:grant-type:cr-token`) for an
/// IAM access token of the profile.
public struct IBMTrustedProfileConfig: Sendable, Hashable {
    /// The IAM endpoint when `endpoint` is not given.
    public static let defaultEndpoint = "https://iam.cloud.ibm.com"
    /// The audience of tokens our issuer mints when `audience` is not given: IBM Cloud
    /// Kubernetes Service projects compute-resource tokens for `iam`.
    public static let defaultAudience = "iam"

    /// The trusted profile id, `Profile-...`.
    public let profileID: String
    /// Where the compute-resource token comes from.
    public let source: WebIdentitySource
    /// The IAM endpoint: https, or http on a loopback host.
    public let endpoint: String

    /// Creates the configuration; omitted values take the documented defaults.
    public init(profileID: String, source: WebIdentitySource, endpoint: String = Self.defaultEndpoint) {
        self.profileID = profileID
        self.source = source
        self.endpoint = endpoint
    }
}
