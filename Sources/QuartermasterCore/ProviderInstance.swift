/// One configured provider instance: a named endpoint of an AI provider and how its
/// credentials are obtained and refreshed.
public struct ProviderInstance: Sendable, Hashable {
    /// The instance name, `[a-z0-9_-]{1,64}`, unique in the file.
    public let name: String
    /// The provider.
    public let type: ProviderType
    /// The provider region (Bedrock, OCI and watsonx use it), as written.
    public let region: String?
    /// When and how credentials are refreshed.
    public let refresh: RefreshSettings
    /// How credentials are obtained.
    public let authentication: ProviderAuthentication
    /// Where the instance's name is written.
    public let location: SourceLocation

    /// Creates an instance.
    public init(
        name: String,
        type: ProviderType,
        region: String? = nil,
        refresh: RefreshSettings = RefreshSettings(),
        authentication: ProviderAuthentication,
        location: SourceLocation
    ) {
        self.name = name
        self.type = type
        self.region = region
        self.refresh = refresh
        self.authentication = authentication
        self.location = location
    }

    /// The authentication method as a metrics label, such as `aws_irsa` or `static`.
    public var method: String { authentication.method }

    /// Whether the least-privilege review flags the instance: it uses a long-lived static key.
    public var isWeak: Bool { authentication.isWeak }
}
