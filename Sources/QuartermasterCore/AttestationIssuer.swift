/// An attestation service whose tokens the policy trusts: a verified token from it supplies the
/// `attestation_measurement` a condition can require (seed 001: attested decrypt).
public struct AttestationIssuer: Sendable, Hashable {
    /// The `iss` claim of its tokens.
    public let issuer: String
    /// Where its signing keys are published; discovered from the issuer when absent.
    public let jwksURI: String?
    /// Audiences a token must carry to be accepted (`quartermaster` when none are given).
    public let audiences: [String]
    /// The claim that carries the measurement (`measurement` when not given). A bare hex digest
    /// is read as sha256, sha384 or sha512 by its length.
    public let measurementClaim: String
    /// Where the issuer's mapping starts.
    public let location: SourceLocation

    /// The claim read when the policy names none.
    public static let defaultMeasurementClaim = "measurement"

    /// Creates an issuer description.
    public init(issuer: String, jwksURI: String? = nil, audiences: [String] = [], measurementClaim: String = Self.defaultMeasurementClaim, location: SourceLocation) {
        self.issuer = issuer
        self.jwksURI = jwksURI
        self.audiences = audiences
        self.measurementClaim = measurementClaim
        self.location = location
    }
}
