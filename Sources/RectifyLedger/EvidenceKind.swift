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

    /// The names of a ZIP file's entries, from its local file headers.
    static func zipEntryNames(_ bytes: [UInt8]) -> Set<String> {
        var names: Set<String> = []
        var offset = 0
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        while offset + 30 <= bytes.count, u32(offset) == 0x0403_4B50, names.count < 10_000 {
            let flags = u16(offset + 6)
            let compressed = u32(offset + 18)
            let nameLength = u16(offset + 26), extraLength = u16(offset + 28)
            let nameStart = offset + 30
            guard nameStart + nameLength <= bytes.count else { break }
            names.insert(String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self))
            // Sizes after the data (bit 3) are not known here; the names seen so far must do.
            guard flags & 0x08 == 0 else { break }
            offset = nameStart + nameLength + extraLength + compressed
        }
        return names
    }
}
