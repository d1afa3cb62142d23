/// OCI resource principal (provider `oci_resource_principal`): requests are signed with the
/// session key, presenting the resource principal session token (RPST). Both files are read
/// again at each refresh.
public struct OCIResourcePrincipalConfig: Sendable, Hashable {
    /// The file holding the resource principal session token.
    public let sessionTokenFile: String
    /// The file holding the PEM private key of the session.
    public let privateKeyFile: String

    /// Creates the configuration.
    public init(sessionTokenFile: String, privateKeyFile: String) {
        self.sessionTokenFile = sessionTokenFile
        self.privateKeyFile = privateKeyFile
    }
}
