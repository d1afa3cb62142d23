import ArgumentParser
import Foundation

/// Where the server is and the token to call it with (`QUARTERMASTER_ADDR`, `QUARTERMASTER_TOKEN`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Server address (default: $QUARTERMASTER_ADDR or http://127.0.0.1:8420).")
    var addr: String?

    @Option(help: "Bearer token (default: $QUARTERMASTER_TOKEN).")
    var token: String?

    func client() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        let address = addr ?? environment["QUARTERMASTER_ADDR"] ?? "http://127.0.0.1:8420"
        guard let token = token ?? environment["QUARTERMASTER_TOKEN"], !token.isEmpty else {
            throw CLIError("no token: set QUARTERMASTER_TOKEN or pass --token")
        }
        return APIClient(address: address, token: token)
    }
}
