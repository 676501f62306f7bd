/// The kinds of file an office may give as evidence, told by their content, never by their
/// name or the type a client claims: PDF, JPEG, PNG, and the Office Open XML documents DOCX
/// and XLSX (ZIP packages whose parts say which they are).
public enum EvidenceKind: String, Sendable, CaseIterable {
    case pdf, jpeg, png, docx, xlsx

    /// The largest file taken: 20 MiB.
    public static let maximumFileBytes = 20 << 20
    /// The most a submission's files may add up to: 100 MiB.
    public static let maximumSubmissionBytes = 100 << 20

    /// The media type it is served with.
    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    /// The kind `bytes` are, or `nil` for anything else.
    public static func of(_ bytes: [UInt8]) -> EvidenceKind? {
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        guard starts([0x50, 0x4B, 0x03, 0x04]) else { return nil }
        // A package names its parts in its entries: a Word document has word/document.xml, a
        // workbook xl/workbook.xml, and both [Content_Types].xml.
        let names = zipEntryNames(bytes)
        guard names.contains("[Content_Types].xml") else { return nil }
        if names.contains("word/document.xml") { return .docx }
        if names.contains("xl/workbook.xml") { return .xlsx }
        return nil
    }

    /// The names of a ZIP file's entries, from its central directory (found through the end of
    /// central directory record, which ends the file), or from the local file headers when a
    /// file has no readable directory. Every read is bounds-checked.
    static func zipEntryNames(_ bytes: [UInt8]) -> Set<String> {
        func u16(_ at: Int) -> Int { at >= 0 && at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : -1 }
        func u32(_ at: Int) -> Int { at >= 0 && at + 4 <= bytes.count ? u16(at) | u16(at + 2) << 16 : -1 }
        func name(_ start: Int, _ length: Int) -> String? {
            guard start >= 0, length >= 0, start + length <= bytes.count else { return nil }
            return String(decoding: bytes[start..<(start + length)], as: UTF8.self)
        }
        var names: Set<String> = []
        // The end record sits in the last 22 bytes plus a comment of up to 65,535.
        let earliest = max(0, bytes.count - 22 - 65_535)
        if let end = stride(from: bytes.count - 22, through: earliest, by: -1).first(where: { u32($0) == 0x0605_4B50 }) {
            let count = u16(end + 10)
            var offset = u32(end + 16)
            for _ in 0..<max(count, 0) {
                guard u32(offset) == 0x0201_4B50, let entry = name(offset + 46, u16(offset + 28)) else { break }
                names.insert(entry)
                offset += 46 + u16(offset + 28) + u16(offset + 30) + u16(offset + 32)
            }
            if !names.isEmpty { return names }
        }
        var offset = 0
        while u32(offset) == 0x0403_4B50, names.count < 10_000 {
            guard let entry = name(offset + 30, u16(offset + 26)) else { break }
            names.insert(entry)
            // Sizes after the data (bit 3) are not known here; the names seen so far must do.
            guard u16(offset + 6) & 0x08 == 0 else { break }
            offset += 30 + u16(offset + 26) + u16(offset + 28) + u32(offset + 18)
        }
        return names
    }
}
