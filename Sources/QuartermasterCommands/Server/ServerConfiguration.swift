import Foundation
import QuartermasterServices

/// Everything `quartermaster serve` and `dev` need to start.
public struct ServerConfiguration: Sendable, Equatable {
    /// Address to listen on.
    public var host: String = "127.0.0.1"
    public var port: Int = 8420
    /// `sqlite:PATH`, a file path, or `postgres://user@host:port/db`.
    public var storage: String = "sqlite:.quartermaster/quartermaster.db"
    /// Where keys live (the audit key). Created with mode 0700.
    public var dataDirectory: String = ".quartermaster"
    /// The audit HMAC key file; defaults to `DATA_DIR/audit.key`, created with mode 0600.
    public var auditKeyFile: String?
    /// A JSON-lines copy of the audit log: a path, or `-` for stdout.
    public var auditLog: String?
    /// The policy stored as version 1 when storage holds none.
    public var initialPolicy: String?
    /// `provider-instances.yaml`: the provider credentials to broker (none when unset).
    public var providerInstances: String?
    /// Request bodies larger than this get 413.
    public var maxBodyBytes: Int = 1 << 20
    /// trace, debug, info, notice, warning, error, critical.
    public var logLevel: String = "info"
    /// The key that seals the root keyring at rest; defaults to `DATA_DIR/root.key` (mode 0600).
    public var rootKeyFile: String?
    /// The sealing key given directly (`QUARTERMASTER_ROOT_KEY`, base64); wins over the file.
    public var rootKeyFromEnvironment: Data?
    /// When set, AWS KMS seals the root keyring (Encrypt/Decrypt with this key id or ARN).
    public var awsKMSKeyID: String?
    /// The KMS key's region (default `us-east-1`).
    public var awsKMSRegion: String = "us-east-1"
    /// The KMS endpoint; defaults to AWS's regional endpoint.
    public var awsKMSEndpoint: String?
    /// The issuer URL; defaults to `http://HOST:PORT`.
    public var issuer: String?
    /// A file holding the legacy static service token (seed 004 migration).
    public var staticTokenFile: String?
    /// accept, warn or reject.
    public var staticTokenMode: StaticTokenMigration.Mode = .warn
    /// The identity a static-token exchange yields.
    public var staticTokenIdentity: String = "legacy-service"
    /// Token and key settings; `issuer` is filled in at start.
    public var issuerSettings = IssuerSettings(issuer: "")

    public init() {}

    /// The root key path in effect.
    public var resolvedRootKeyFile: String {
        rootKeyFile ?? (dataDirectory as NSString).appendingPathComponent("root.key")
    }

    /// The issuer URL in effect.
    public var resolvedIssuer: String {
        issuer ?? "http://\(host):\(port)"
    }

    /// The audit key path in effect.
    public var resolvedAuditKeyFile: String {
        auditKeyFile ?? (dataDirectory as NSString).appendingPathComponent("audit.key")
    }
}
