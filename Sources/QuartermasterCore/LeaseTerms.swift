/// How long what an allow grant hands out is leased: a secret read under such a grant comes
/// with a lease the caller renews or lets expire.
public struct LeaseTerms: Sendable, Hashable, Codable {
    /// The lease's first lifetime, and what each renewal adds at most.
    public let ttl: Duration
    /// No renewal extends the lease past issue time plus this.
    public let maxTTL: Duration
    /// Whether the lease may be renewed at all.
    public let renewable: Bool

    /// Creates terms; `maxTTL` defaults to `ttl`.
    public init(ttl: Duration, maxTTL: Duration? = nil, renewable: Bool = true) {
        self.ttl = ttl
        self.maxTTL = maxTTL ?? ttl
        self.renewable = renewable
    }

    private enum CodingKeys: String, CodingKey { case ttl, max_ttl, renewable }

    /// Encodes durations in their text form (`1h`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(DurationText.format(ttl), forKey: .ttl)
        try container.encode(DurationText.format(maxTTL), forKey: .max_ttl)
        try container.encode(renewable, forKey: .renewable)
    }

    /// Decodes the form `encode` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let ttl = DurationText.parse(try container.decode(String.self, forKey: .ttl)),
              let maxTTL = DurationText.parse(try container.decode(String.self, forKey: .max_ttl))
        else { throw DecodingError.dataCorruptedError(forKey: .ttl, in: container, debugDescription: "malformed duration") }
        self.init(ttl: ttl, maxTTL: maxTTL, renewable: try container.decode(Bool.self, forKey: .renewable))
    }
}
