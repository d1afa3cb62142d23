import Foundation
import Logging
import QuartermasterCore
import QuartermasterHTTP
import QuartermasterServices

/// Reads `provider-instances.yaml` and builds what the server and the CLI need from it.
enum ProviderInstancesFile {
    /// The parsed file; every problem at `file:line:column`, or a read failure, as one error.
    static func load(_ path: String) throws -> ProviderInstances {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StartupError("provider_instances: cannot read \(path)")
        }
        do {
            return try ProviderInstancesParser.parse(yaml: text, sourceName: path)
        } catch {
            throw StartupError("provider_instances:\n\(error.description)")
        }
    }

    /// A broker with one refresher per instance, counting attempts in the metrics.
    static func broker(path: String, factory: ProviderExchangeFactory, metrics: ServerMetrics, logger: Logger) throws -> ProviderBroker {
        let instances = try load(path)
        let refreshers = try instances.instances.map { instance in
            do throws(ServiceError) {
                return CredentialRefresher(instance: instance, exchange: try factory.exchange(for: instance), logger: logger) { instance, succeeded in
                    metrics.recordCredentialRefresh(provider: instance.name, method: instance.method, succeeded: succeeded)
                }
            } catch {
                throw StartupError("provider_instances: \(error)")
            }
        }
        return ProviderBroker(refreshers: refreshers)
    }
}
