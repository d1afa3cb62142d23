/// Where the web identity token exchanged with a cloud's token service comes from.
public enum WebIdentitySource: Sendable, Hashable {
    /// A token our issuer mints for the identity `name`, carrying `audience` (`identity:`).
    case identity(name: String, audience: String)
    /// A token read from a file, such as a projected service-account token (`token_file:`).
    /// The file is read again at each refresh, since the kubelet rotates it.
    case tokenFile(path: String)
}
