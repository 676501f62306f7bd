import Hummingbird

// GET / answers "Hello, world!"; POST / answers 202 with a small JSON body, like POST /v1/progress.
let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8090
let router = Router()
router.get("/") { _, _ in "Hello, world!" }
router.post("/") { request, context -> Response in
    _ = try await request.body.collect(upTo: 65_536)
    return Response(
        status: .accepted, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"job_id":1}"#)))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
