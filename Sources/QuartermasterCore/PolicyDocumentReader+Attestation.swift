import Yams

extension PolicyDocumentReader {
    /// Reads the `attestation` section: `issuers`, each with `issuer`, optional `jwks_uri`,
    /// `audiences` and `measurement_claim`. Issuer URLs are unique.
    mutating func readAttestation(_ node: Node) -> [AttestationIssuer] {
        guard let fields = fields(of: node, in: "attestation", allowed: ["issuers"]),
              let issuersNode = fields["issuers"], let items = items(issuersNode, for: "issuers")
        else { return [] }
        var firstIssuers: [String: SourceLocation] = [:]
        return items.compactMap { readAttestationIssuer($0, firstIssuers: &firstIssuers) }
    }

    private mutating func readAttestationIssuer(_ node: Node, firstIssuers: inout [String: SourceLocation]) -> AttestationIssuer? {
        guard let fields = fields(of: node, in: "attestation issuer", allowed: ["issuer", "jwks_uri", "audiences", "measurement_claim"]) else { return nil }
        let issuerNode = required("issuer", in: fields)
        let issuer = issuerNode.flatMap { readURL($0, for: "issuer") }
        let jwksURI = fields["jwks_uri"].flatMap { readURL($0, for: "jwks_uri") }
        let audiences = fields["audiences"].flatMap { strings($0, for: "audiences") } ?? []
        let claim = fields["measurement_claim"].flatMap { string($0, for: "measurement_claim") } ?? AttestationIssuer.defaultMeasurementClaim
        guard let issuer, let issuerNode, self.claim(issuer, noun: "attestation issuer", at: issuerNode, in: &firstIssuers) else {
            return nil
        }
        return AttestationIssuer(issuer: issuer, jwksURI: jwksURI, audiences: audiences.map(\.text), measurementClaim: claim, location: location(of: node))
    }
}
