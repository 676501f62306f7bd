import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import RectifyLedger

/// A `multipart/form-data` body as the progress form sends it: its text fields and its files,
/// read as the body streams in (MultipartKit's parser), refused as soon as a file passes
/// 20 MiB or all of them 100 MiB.
struct DeskMultipart {
    /// A file part: its name as the person's device gave it, and its bytes.
    struct Upload {
        var filename: String
        var bytes: [UInt8]
    }

    /// Why a body was refused.
    enum Refusal: Error {
        /// A file over 20 MiB, or a text field over the form limit, by name.
        case fileTooLarge(String)
        case tooLarge
        case malformed
    }

    var fields: [String: String] = [:]
    var files: [Upload] = []

    /// The body's boundary, when the request is `multipart/form-data` with a usable one (1 to 70
    /// characters); a multipart body without one is read as no form at all.
    static func boundary(_ request: Request) -> String? {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in type.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let boundary = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                // RFC 2046: 1 to 70 characters. MultipartKit's parser traps on an empty one.
                return (1...70).contains(boundary.utf8.count) ? boundary : nil
            }
        }
        return nil
    }

    /// Reads the request's parts.
    static func read(_ request: Request, boundary: String) async throws -> DeskMultipart {
        let state = PartState()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
        var total = 0
        for try await buffer in request.body {
            total += buffer.readableBytes
            guard total <= EvidenceKind.maximumSubmissionBytes + (1 << 20) else { throw Refusal.tooLarge }
            do { try parser.execute(buffer) } catch { throw Refusal.malformed }
            if let name = state.oversized { throw Refusal.fileTooLarge(name) }
        }
        return state.result
    }

    /// The parser's callbacks' state: one part at a time.
    private final class PartState {
        var result = DeskMultipart()
        var name: String?
        var filename: String?
        var bytes: [UInt8] = []
        var oversized: String?

        func header(_ name: String, _ value: String) {
            guard name.lowercased() == "content-disposition" else { return }
            self.name = Self.parameter("name", in: value)
            self.filename = Self.parameter("filename", in: value)
        }

        /// A parameter of a `Content-Disposition` value: quoted (a `;` inside is kept) or bare.
        static func parameter(_ key: String, in value: String) -> String? {
            var rest = Substring(value)
            while let semicolon = rest.firstIndex(of: ";") {
                rest = rest[rest.index(after: semicolon)...].drop { $0 == " " }
                guard rest.lowercased().hasPrefix(key + "=") else { continue }
                let text = rest.dropFirst(key.count + 1)
                if text.first == "\"" {
                    return String(text.dropFirst().prefix { $0 != "\"" })
                }
                return String(text.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
            }
            return nil
        }

        func body(_ buffer: inout ByteBuffer) {
            bytes += buffer.readableBytesView
            if filename != nil, bytes.count > EvidenceKind.maximumFileBytes { oversized = filename }
            if filename == nil, bytes.count > DeskForm.limit { oversized = name ?? "" }
        }

        func complete() {
            if let filename {
                if !filename.isEmpty, !bytes.isEmpty { result.files.append(Upload(filename: filename, bytes: bytes)) }
            } else if let name, result.fields[name] == nil {
                result.fields[name] = String(decoding: bytes, as: UTF8.self)
            }
            (name, filename, bytes) = (nil, nil, [])
        }
    }
}
