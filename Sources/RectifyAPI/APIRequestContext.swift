public import Hummingbird
public import RectifyAccounts
public import RectifyLedger
import RectifyProgress

/// Per-request state: the office of the bearer token, the desk's session, and the request id.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated office; set by ``BearerAuthMiddleware``.
    public var office: Office?
    /// This request's id (`X-Request-Id`), also in every log line about it.
    public var requestID = ""
    /// The address of the connection's peer (a client, or a reverse proxy).
    public var peerAddress: String?
    /// The client's address as the rate limits see it (``RateLimitMiddleware``).
    public var clientAddress = "unknown"
    /// The signed-in person's session on the desk; set by ``DeskSessionMiddleware``.
    public var session: Session?
    /// The desk's language for this request.
    var language = DeskLanguage.zh
    /// The page asked for (path and query), to come back to after switching language.
    var pagePath = "/desk"

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The authenticated office; routes behind ``BearerAuthMiddleware`` always have one.
    func requireOffice() throws -> Office {
        guard let office else { throw APIError.unauthorized("send Authorization: Bearer <office token>") }
        return office
    }
}
