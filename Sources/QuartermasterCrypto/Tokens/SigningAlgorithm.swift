/// The JWS algorithms the issuer signs with. ES256 is the default; EdDSA and RS256 are
/// chosen per audience (some federations, such as older cloud STS endpoints, accept RS256 only).
public enum SigningAlgorithm: String, Sendable, Codable, CaseIterable {
    case es256 = "ES256"
    case eddsa = "EdDSA"
    case rs256 = "RS256"
}
