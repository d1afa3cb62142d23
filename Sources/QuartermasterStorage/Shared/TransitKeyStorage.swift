/// Rules both backends apply to changes of a transit key.
enum TransitKeyRotation {
    /// The `StorageError.conflict` detail when adding `version` finds the key missing or not
    /// at `version - 1` (another rotation got there first).
    static func conflict(name: String, version: Int) -> String {
        "transit key \(name) does not exist or its latest version is not \(version - 1)"
    }

    /// Throws `StorageError.conflict` unless `minimum` is in `1...latest`.
    static func checkMinDecryptionVersion(_ minimum: Int, latest: Int, name: String) throws {
        guard minimum >= 1, minimum <= latest else {
            throw StorageError.conflict(
                "minimum decryption version \(minimum) of transit key \(name) is not in 1...\(latest)")
        }
    }
}
