/// The rules Kubernetes applies to object names, so that a mapping never names an object that
/// cannot exist.
enum KubernetesName {
    /// A namespace: an RFC 1123 label of at most 63 characters.
    static func isNamespace(_ text: String) -> Bool {
        text.count <= 63 && isLabel(Substring(text))
    }

    /// A service account: an RFC 1123 subdomain of at most 253 characters, dot-separated labels.
    static func isServiceAccount(_ text: String) -> Bool {
        text.count <= 253 && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
    }

    /// Lowercase letters, digits and `-`, starting and ending with a letter or digit.
    private static func isLabel(_ text: Substring) -> Bool {
        guard let first = text.first, let last = text.last, first != "-", last != "-" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
