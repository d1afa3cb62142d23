import Foundation
import QuartermasterCrypto
import QuartermasterServices

/// Picks what seals the root keyring from the configuration: AWS KMS when a key id is set,
/// else the key given in `QUARTERMASTER_ROOT_KEY`, else the root key file (created on first
/// start, the dev default).
enum RootKeySealChoice {
    /// The seal, and for a local seal its key bytes: they become `root-1` when the keyring is
    /// first created, so data sealed directly under the file key by earlier releases still opens.
    static func make(_ configuration: ServerConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (any RootKeySeal, Data?) {
        if let keyID = configuration.awsKMSKeyID {
            guard let credentials = AWSCredentials.fromEnvironment(environment) else {
                throw StartupError("root_key_awskms_key_id is set but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not")
            }
            let settings = try AWSKMSSeal.Configuration(
                keyID: keyID,
                region: configuration.awsKMSRegion,
                credentials: credentials,
                endpoint: configuration.awsKMSEndpoint.flatMap(URL.init(string:))
            )
            return (AWSKMSSeal(settings), nil)
        }
        if let bytes = configuration.rootKeyFromEnvironment {
            return (LocalRootKeySeal(key: try KeyEncryptionKey(bytes: bytes), source: "env"), bytes)
        }
        let bytes = try RootKeyFile.loadOrCreate(path: configuration.resolvedRootKeyFile)
        return (LocalRootKeySeal(key: try KeyEncryptionKey(bytes: bytes), source: "file"), bytes)
    }
}
