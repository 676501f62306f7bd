import NIOCore
import NIOHTTPTypes

/// How long the server waits for a client, and how slowly it lets a body arrive.
public struct ConnectionLimits: Sendable, Hashable {
    /// A request's complete head must arrive within this of the connection opening or of the
    /// previous answer; an idle kept-alive connection closes then too. Default 10 s.
    public var headerTimeout: Duration = .seconds(10)
    /// A body must keep arriving at this many bytes a second, measured over each ``window``;
    /// default 4 KiB/s, so a 100 MB upload from a slow phone (tens of KiB/s) completes and a
    /// trickle does not hold a connection.
    public var minimumBodyRate: Int = 4096
    /// The span a body's rate is measured over; default 15 s.
    public var window: Duration = .seconds(15)

    /// The defaults.
    public init() {}
}

/// Closes the connection of a client that is too slow to serve: one whose request head has
/// not arrived within ``ConnectionLimits/headerTimeout`` (a half-sent request, or a kept-alive
/// connection left idle), or whose body arrives slower than ``ConnectionLimits/minimumBodyRate``.
/// While the server is answering, no limit applies. Sits after the HTTP decoder, one per
/// connection, on its event loop.
final class SlowClientGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase {
        case awaitingHead(since: NIODeadline)
        case receivingBody(windowStart: NIODeadline, bytesInWindow: Int)
        case answering
    }

    private let limits: ConnectionLimits
    private var phase: Phase = .awaitingHead(since: .now())
    private var check: RepeatedTask?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        phase = .awaitingHead(since: .now())
        let step = TimeAmount(min(limits.headerTimeout, limits.window) / 4)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleRepeatedTask(initialDelay: step, delay: step) { _ in
            let (handler, context) = loopBound.value
            handler.closeIfTooSlow(context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            phase = .receivingBody(windowStart: .now(), bytesInWindow: 0)
        case .body(let buffer):
            if case .receivingBody(let start, let bytes) = phase {
                phase = .receivingBody(windowStart: start, bytesInWindow: bytes + buffer.readableBytes)
            }
        case .end:
            // A request answered before its body was read (413, 401) waits for the next head.
            if case .receivingBody = phase { phase = .answering }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { phase = .awaitingHead(since: .now()) }
        context.write(data, promise: promise)
    }

    private func closeIfTooSlow(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        switch phase {
        case .awaitingHead(let since) where now - since >= TimeAmount(limits.headerTimeout):
            close(context)
        case .receivingBody(let start, let bytes) where now - start >= TimeAmount(limits.window):
            let seconds = Double((now - start).nanoseconds) / 1e9
            if Double(bytes) < Double(limits.minimumBodyRate) * seconds {
                close(context)
            } else {
                phase = .receivingBody(windowStart: now, bytesInWindow: 0)
            }
        default:
            break
        }
    }

    private func close(_ context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.close(promise: nil)
    }
}
