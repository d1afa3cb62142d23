/// AWS `AssumeRoleWithWebIdentity` (IRSA, provider `aws_irsa`): a web identity token is
/// exchanged at STS for temporary credentials of a role.
public struct AWSWebIdentityConfig: Sendable, Hashable {
    /// The session name STS records when `session_name` is not given.
    public static let defaultSessionName = "quartermaster"
    /// The session lifetime when `duration` is not given.
    public static let defaultDuration: Duration = .seconds(3600)
    /// The session lifetimes STS accepts: 15 minutes to 12 hours.
    public static let allowedDurations: ClosedRange<Duration> = .seconds(900) ... .seconds(43_200)
    /// The audience of tokens our issuer mints when `audience` is not given.
    public static let defaultAudience = "sts.amazonaws.com"
    /// The STS endpoint when `endpoint` is not given.
    public static let defaultEndpoint = "https://sts.amazonaws.com"

    /// The role assumed, `arn:aws:iam::ACCOUNT:role/NAME` (or another AWS partition).
    public let roleARN: String
    /// The role session name.
    public let sessionName: String
    /// The requested session lifetime, within `allowedDurations`.
    public let duration: Duration
    /// Where the web identity token comes from.
    public let source: WebIdentitySource
    /// The STS endpoint: https, or http on a loopback host.
    public let endpoint: String

    /// Creates the configuration; omitted values take the documented defaults.
    public init(
        roleARN: String,
        sessionName: String = Self.defaultSessionName,
        duration: Duration = Self.defaultDuration,
        source: WebIdentitySource,
        endpoint: String = Self.defaultEndpoint
    ) {
        self.roleARN = roleARN
        self.sessionName = sessionName
        self.duration = duration
        self.source = source
        self.endpoint = endpoint
    }
}
