import Foundation

/// How both backends store `StoredAPIKey.roles`: a JSON array of strings.
extension StoredAPIKey {
    /// `roles` as stored.
    var rolesJSON: String {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            return String(decoding: try encoder.encode(roles), as: UTF8.self)
        }
    }

    /// Decodes a stored `roles` column.
    static func roles(fromJSON json: String) throws -> [String] {
        do {
            return try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw StorageError.unavailable("API key roles are not a JSON array of strings")
        }
    }
}
