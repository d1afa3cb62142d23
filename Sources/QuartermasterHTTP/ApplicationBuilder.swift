import Hummingbird
import Logging

/// Builds the Hummingbird router and application from the server's components.
public enum ApplicationBuilder {
    /// The router with every route and middleware, in the order requests meet them.
    public static func router(_ components: ServerComponents) -> Router<QuartermasterRequestContext> {
        let router = Router(context: QuartermasterRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: components.metrics))
        router.add(middleware: ErrorMiddleware())
        HealthRoutes(components: components).register(on: router)
        AuthorizeRoutes(components: components).register(on: router)
        PolicyRoutes(components: components).register(on: router)
        AuditRoutes(components: components).register(on: router)
        DiscoveryRoutes(components: components).register(on: router)
        OAuthRoutes(components: components).register(on: router)
        IssuerAdminRoutes(components: components).register(on: router)
        RegistrationRoutes(components: components).register(on: router)
        APIKeyRoutes(components: components).register(on: router)
        SecretRoutes(components: components).register(on: router)
        LeaseRoutes(components: components).register(on: router)
        TransitRoutes(components: components).register(on: router)
        RootKeyRoutes(components: components).register(on: router)
        CredentialRoutes(components: components).register(on: router)
        return router
    }

    /// The application listening on `host:port`.
    public static func application(
        _ components: ServerComponents,
        host: String,
        port: Int,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(components),
            configuration: .init(address: .hostname(host, port: port), serverName: "quartermaster"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
