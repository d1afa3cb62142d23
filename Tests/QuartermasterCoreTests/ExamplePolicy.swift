import Foundation

/// Finds `examples/policy.yaml` (or another file under `examples/`) of the package this test
/// file belongs to.
enum ExamplePolicy {
    static let relativePath = "examples/policy.yaml"

    /// The text of the example policy, or of another example file.
    static func text(_ relativePath: String = relativePath) throws -> String {
        try String(contentsOf: try url(relativePath), encoding: .utf8)
    }

    /// Walks up from this file (as written and with symlinks resolved) to the first directory
    /// holding `relativePath`; falls back to the main checkout.
    static func url(_ relativePath: String = relativePath) throws -> URL {
        let thisFile = URL(fileURLWithPath: #filePath)
        for start in [thisFile, thisFile.resolvingSymlinksInPath()] {
            var directory = start.deletingLastPathComponent()
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent(relativePath)
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
        }
        let fallback = URL(fileURLWithPath: "/work/main").appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: fallback.path) else { throw CocoaError(.fileNoSuchFile) }
        return fallback
    }
}
