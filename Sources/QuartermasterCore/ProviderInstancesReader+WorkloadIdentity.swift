import Yams

extension ProviderInstancesReader {
    /// `aws_irsa`: `role_arn` (required, `arn:aws...`), `session_name`, `duration` (15m to 12h),
    /// `identity` or `token_file`, `audience`, `endpoint`.
    mutating func readAWSWebIdentity(_ fields: MappingFields) -> AWSWebIdentityConfig? {
        let problemsBefore = diagnostics.count
        let roleARN = required("role_arn", in: fields).flatMap { readRoleARN($0) }
        let sessionName = fields["session_name"].flatMap { readSessionName($0) }
        let duration = fields["duration"].flatMap { readSessionDuration($0) }
        let source = readWebIdentitySource(fields, defaultAudience: AWSWebIdentityConfig.defaultAudience)
        let endpoint = fields["endpoint"].flatMap { readURL($0, for: "endpoint") }
        guard diagnostics.count == problemsBefore, let roleARN, let source else { return nil }
        return AWSWebIdentityConfig(
            roleARN: roleARN,
            sessionName: sessionName ?? AWSWebIdentityConfig.defaultSessionName,
            duration: duration ?? AWSWebIdentityConfig.defaultDuration,
            source: source,
            endpoint: endpoint ?? AWSWebIdentityConfig.defaultEndpoint
        )
    }

    /// `azure_workload_identity`: `tenant_id` and `client_id` (required GUIDs), `scope`,
    /// `identity` or `token_file`, `audience`, `authority`.
    mutating func readAzureWorkloadIdentity(_ fields: MappingFields) -> AzureWorkloadIdentityConfig? {
        let problemsBefore = diagnostics.count
        let tenantID = required("tenant_id", in: fields).flatMap { readGUID($0, for: "tenant_id") }
        let clientID = required("client_id", in: fields).flatMap { readGUID($0, for: "client_id") }
        let scope = fields["scope"].flatMap { string($0, for: "scope") }
        let source = readWebIdentitySource(fields, defaultAudience: AzureWorkloadIdentityConfig.defaultAudience)
        let authority = fields["authority"].flatMap { readURL($0, for: "authority") }
        guard diagnostics.count == problemsBefore, let tenantID, let clientID, let source else { return nil }
        return AzureWorkloadIdentityConfig(
            tenantID: tenantID,
            clientID: clientID,
            scope: scope ?? AzureWorkloadIdentityConfig.defaultScope,
            source: source,
            authority: authority ?? AzureWorkloadIdentityConfig.defaultAuthority
        )
    }

    /// `gcp_workload_identity`: `audience` (required, the pool provider), `service_account`,
    /// `scope`, `identity` or `token_file`, `sts_endpoint`, `iam_endpoint`. Tokens our issuer
    /// mints carry the pool provider as their audience.
    mutating func readGCPWorkloadIdentity(_ fields: MappingFields) -> GCPWorkloadIdentityConfig? {
        let problemsBefore = diagnostics.count
        let audience = required("audience", in: fields).flatMap { readPoolProvider($0) }
        let serviceAccount = fields["service_account"].flatMap { string($0, for: "service_account") }
        let scope = fields["scope"].flatMap { string($0, for: "scope") }
        let source = readWebIdentitySource(fields, audience: audience ?? "")
        let stsEndpoint = fields["sts_endpoint"].flatMap { readURL($0, for: "sts_endpoint") }
        let iamEndpoint = fields["iam_endpoint"].flatMap { readURL($0, for: "iam_endpoint") }
        guard diagnostics.count == problemsBefore, let audience, let source else { return nil }
        return GCPWorkloadIdentityConfig(
            audience: audience,
            serviceAccount: serviceAccount,
            scope: scope ?? GCPWorkloadIdentityConfig.defaultScope,
            source: source,
            stsEndpoint: stsEndpoint ?? GCPWorkloadIdentityConfig.defaultSTSEndpoint,
            iamEndpoint: iamEndpoint ?? GCPWorkloadIdentityConfig.defaultIAMEndpoint
        )
    }

    /// `ibm_trusted_profile`: `profile_id` (required), `identity` or `token_file` (the
    /// compute-resource token), `audience`, `endpoint`.
    mutating func readIBMTrustedProfile(_ fields: MappingFields) -> IBMTrustedProfileConfig? {
        let problemsBefore = diagnostics.count
        let profileID = required("profile_id", in: fields).flatMap { string($0, for: "profile_id") }
        let source = readWebIdentitySource(fields, defaultAudience: IBMTrustedProfileConfig.defaultAudience)
        let endpoint = fields["endpoint"].flatMap { readURL($0, for: "endpoint") }
        guard diagnostics.count == problemsBefore, let profileID, let source else { return nil }
        return IBMTrustedProfileConfig(profileID: profileID, source: source, endpoint: endpoint ?? IBMTrustedProfileConfig.defaultEndpoint)
    }

    /// `ibm_api_key`: `api_key_secret` (required, a path in our store), `endpoint`.
    mutating func readIBMAPIKey(_ fields: MappingFields) -> IBMAPIKeyConfig? {
        let problemsBefore = diagnostics.count
        let secret = required("api_key_secret", in: fields).flatMap { readSecretPath($0, for: "api_key_secret") }
        let endpoint = fields["endpoint"].flatMap { readURL($0, for: "endpoint") }
        guard diagnostics.count == problemsBefore, let secret else { return nil }
        return IBMAPIKeyConfig(apiKeySecret: secret, endpoint: endpoint ?? IBMTrustedProfileConfig.defaultEndpoint)
    }

    /// `oci_resource_principal`: `session_token_file` and `private_key_file` (both required).
    mutating func readOCIResourcePrincipal(_ fields: MappingFields) -> OCIResourcePrincipalConfig? {
        let tokenFile = required("session_token_file", in: fields).flatMap { string($0, for: "session_token_file") }
        let keyFile = required("private_key_file", in: fields).flatMap { string($0, for: "private_key_file") }
        guard let tokenFile, let keyFile else { return nil }
        return OCIResourcePrincipalConfig(sessionTokenFile: tokenFile, privateKeyFile: keyFile)
    }

    /// Exactly one of `identity` (with `audience`, or `defaultAudience`) and `token_file`. A token
    /// file carries its own audience, so `audience` with `token_file` is reported.
    private mutating func readWebIdentitySource(_ fields: MappingFields, defaultAudience: String) -> WebIdentitySource? {
        let audience = fields["audience"].flatMap { string($0, for: "audience") }
        let source = readWebIdentitySource(fields, audience: audience ?? defaultAudience)
        if case .tokenFile = source, let audienceKey = fields.keyNodes["audience"] {
            report("'audience' only applies with 'identity'; a token file carries its own audience", at: audienceKey)
        }
        return source
    }

    /// Exactly one of `identity` and `token_file`; reports both or neither.
    private mutating func readWebIdentitySource(_ fields: MappingFields, audience: String) -> WebIdentitySource? {
        let identity = fields["identity"].flatMap { string($0, for: "identity") }
        let tokenFile = fields["token_file"].flatMap { string($0, for: "token_file") }
        switch (fields.keyNodes["identity"], fields.keyNodes["token_file"]) {
        case (nil, nil):
            report("missing 'identity' or 'token_file' in \(fields.context); give exactly one", at: fields.node)
            return nil
        case let (identityKey?, tokenFileKey?):
            let later = Self.isBefore(identityKey, tokenFileKey) ? tokenFileKey : identityKey
            report("'identity' and 'token_file' exclude each other; give exactly one", at: later)
            return nil
        default:
            if let identity { return .identity(name: identity, audience: audience) }
            return tokenFile.map { .tokenFile(path: $0) }
        }
    }

    /// Whether node `a` starts before node `b` in the document.
    static func isBefore(_ a: Node, _ b: Node) -> Bool {
        let first = a.mark, second = b.mark
        return (first?.line ?? 0, first?.column ?? 0) < (second?.line ?? 0, second?.column ?? 0)
    }

    private mutating func readRoleARN(_ node: Node) -> String? {
        guard let text = string(node, for: "role_arn") else { return nil }
        guard text.hasPrefix("arn:aws") else {
            report("'role_arn' must be an AWS role ARN starting with arn:aws, such as arn:aws:iam::123456789012:role/NAME, found '\(text)'", at: node)
            return nil
        }
        return text
    }

    /// A role session name as STS takes it: 2 to 64 of letters, digits and `+=,.@_-`.
    private mutating func readSessionName(_ node: Node) -> String? {
        guard let text = string(node, for: "session_name") else { return nil }
        let isAllowed = text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+=,.@_-".unicodeScalars.contains(scalar))
        }
        guard isAllowed, (2...64).contains(text.unicodeScalars.count) else {
            report("malformed session_name '\(text)'; expected 2 to 64 letters, digits and + = , . @ _ -", at: node)
            return nil
        }
        return text
    }

    private mutating func readSessionDuration(_ node: Node) -> Duration? {
        guard let duration = readPositiveDuration(node, for: "duration") else { return nil }
        let allowed = AWSWebIdentityConfig.allowedDurations
        guard allowed.contains(duration) else {
            let found = node.scalar?.string ?? DurationText.format(duration)
            report("'duration' must be between \(DurationText.format(allowed.lowerBound)) and \(DurationText.format(allowed.upperBound)), found '\(found)'", at: node)
            return nil
        }
        return duration
    }

    /// A GUID such as `00000000-0000-0000-0000-000000000000`, in either case.
    private mutating func readGUID(_ node: Node, for key: String) -> String? {
        guard let text = string(node, for: key) else { return nil }
        let bytes = Array(text.utf8)
        let dashes = [8, 13, 18, 23]
        let isGUID = bytes.count == 36 && bytes.indices.allSatisfy { index in
            dashes.contains(index) ? bytes[index] == UInt8(ascii: "-") : Self.isHexDigit(bytes[index])
        }
        guard isGUID else {
            report("malformed \(key) '\(text)'; expected a GUID such as 00000000-0000-0000-0000-000000000000", at: node)
            return nil
        }
        return text
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private mutating func readPoolProvider(_ node: Node) -> String? {
        guard let text = string(node, for: "audience") else { return nil }
        let prefix = GCPWorkloadIdentityConfig.audiencePrefix
        guard text.hasPrefix(prefix), text.count > prefix.count else {
            report("'audience' must name a workload identity pool provider, \(prefix)projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER, found '\(text)'", at: node)
            return nil
        }
        return text
    }
}
