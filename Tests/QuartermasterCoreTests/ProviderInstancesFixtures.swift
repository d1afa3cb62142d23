import QuartermasterCore

/// Small helpers for tests that write `provider-instances.yaml` inline.
enum ProviderInstancesFixtures {
    /// The file name diagnostics carry in these tests.
    static let sourceName = "provider-instances.yaml"
    /// Where the example file lives, relative to the package.
    static let examplePath = "examples/provider-instances.yaml"

    /// Parses a file that must be valid.
    static func instances(_ yaml: String) throws -> ProviderInstances {
        try ProviderInstancesParser.parse(yaml: yaml, sourceName: sourceName)
    }

    /// Parses a file with one instance `test` that must be valid, and returns the instance.
    static func instance(_ yaml: String) throws -> ProviderInstance? {
        try instances(yaml).instance(named: "test")
    }

    /// The problems of a file that must be invalid, as `line:column: message`.
    static func problems(_ yaml: String) -> [String] {
        do throws(PolicyErrors) {
            _ = try ProviderInstancesParser.parse(yaml: yaml, sourceName: sourceName)
            return []
        } catch {
            return error.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        }
    }

    /// The problems of a file with one instance `test` of `type` whose authentication mapping
    /// is `authentication` (written at column 7, starting on line 5).
    static func problems(type: String, authentication: String) -> [String] {
        problems(document(type: type, authentication: authentication))
    }

    /// A file with one instance `test`: `instances:` on line 1, `test:` on line 2, `type` on
    /// line 3, `authentication:` on line 4 and its keys from line 5 at column 7.
    static func document(type: String, authentication: String) -> String {
        let indented = authentication.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "      " + $0 }.joined(separator: "\n")
        return """
        instances:
          test:
            type: \(type)
            authentication:
        \(indented)
        """
    }
}
