extension KeyedDecodingContainer {
    /// The JWT `aud` claim, which may be one string or an array of strings (RFC 7519 4.1.3).
    public func decodeAudience(forKey key: Key) throws -> [String] {
        if let single = try? decode(String.self, forKey: key) { return [single] }
        return try decode([String].self, forKey: key)
    }
}
