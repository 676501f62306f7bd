/// How long sessions and links last and how many failed sign-ins are let through.
public struct AccountPolicy: Sendable, Hashable {
    /// A session ends after this long without a request; default 30 minutes.
    public var sessionIdle: Duration = .seconds(30 * 60)
    /// A session ends this long after sign-in, however busy; default 12 hours.
    public var sessionLifetime: Duration = .seconds(12 * 3600)
    /// A one-time link to set a password works this long; default 3 days.
    public var linkLifetime: Duration = .seconds(3 * 86_400)
    /// Failed sign-ins counted over this window; default 15 minutes.
    public var throttleWindow: Duration = .seconds(15 * 60)
    /// Failures within the window that lock an account until the window has passed; default 5.
    public var failuresPerAccount = 5
    /// Failures within the window that stop an address from trying any account; default 20.
    public var failuresPerAddress = 20
    /// bcrypt's cost for new passwords (2^cost rounds); default ``Passwords/cost``. Tests lower it.
    public var passwordCost = Passwords.cost

    /// The defaults.
    public init() {}

    var idleSeconds: Double { sessionIdle.seconds }
    var lifetimeSeconds: Double { sessionLifetime.seconds }
    var windowSeconds: Double { throttleWindow.seconds }
}

extension Duration {
    /// The duration in seconds, fractions included.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
