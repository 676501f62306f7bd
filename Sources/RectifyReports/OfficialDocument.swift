/// A report as the office issues it (公文): issuer (发文机关) and, for a notice, number (文号);
/// title; 主送; body; tables as attachments (附件); 落款 and 成文日期; 抄送 and the 印发 line.
/// Each kind builds one (``NoticeDocument``, ``ScheduleDocument``, ``TallyDocument``,
/// ``DisclosureDocument``); ``markdown`` and ``html`` print it. A section with nothing to say is
/// left out, never printed empty.
struct OfficialDocument {
    /// One part of the body or of an attachment.
    enum Block {
        case heading(String)
        case paragraph(String)
        case table(DocumentTable)
        /// An inline SVG chart, shown in the HTML form only.
        case chart(String)
    }

    /// The numbered headings of a body, in order: 一、总体情况, 二、存在问题 … (1. Overall …), so that
    /// a section left out leaves no gap in the numbers.
    struct Sections {
        private static let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        private var count = 0
        let language: ReportLanguage

        init(_ language: ReportLanguage) { self.language = language }

        /// The next section's heading.
        mutating func heading(_ zh: String, _ en: String) -> Block {
            count += 1
            return .heading(language.text("\(Self.numerals[count - 1])、\(zh)", "\(count). \(en)"))
        }
    }

    /// An attachment: its title and what it holds.
    struct Attachment {
        var title: String
        var blocks: [Block]
    }

    var heading: ReportHeading
    var language: ReportLanguage
    var title: String
    /// 主送; `nil` for a text published to the public.
    var addressees: String?
    var body: [Block]
    var attachments: [Attachment] = []
    /// The 落款: the issuer, or who publishes a public text.
    var signer: String
    /// 抄送; `nil` for a text published to the public.
    var copiedTo: String?
    /// Whether the 印发 line closes the document (not for a text published to the public).
    var printedLine = true

    private var l: ReportLanguage { language }

    /// 2026年12月3日, or a blank to fill in while the document is a draft.
    var dateLine: String {
        heading.issuedOn.map { l.day("\($0)") } ?? l.text("（签发时填写成文日期）", "(dated when issued)")
    }

    /// The line at the top that says a draft is not yet a document, or that a document was
    /// replaced and is no longer in force.
    var draftNote: String? {
        if heading.isDraft {
            return l.text("拟稿：尚未签发。成文日期和文号在签发（rectify report issue）时确定，通知在签发后送达。",
                          "DRAFT, not yet issued: the date and number are fixed, and the notifications sent, when it is issued (rectify report issue).")
        }
        return heading.replacedBy.map { l.text("本文件已被\(name($0))代替，不再有效。", "Replaced by \(name($0)); no longer in force.") }
    }

    /// The line under the title of a reissue: which document it replaces.
    var replacesNote: String? {
        heading.replaces.map { l.text("（本文件代替\(name($0))，原文件同时废止。）", "(This document replaces \(name($0)), which is withdrawn.)") }
    }

    /// 2026年11月3日印发的冀督改办通〔2026〕2号, or the date alone for a document without a number.
    private func name(_ document: StoredReport.DocumentReference) -> String {
        let day = l.day("\(document.issuedOn)")
        return document.number.map { l.text("\(day)印发的\($0)", "\($0) of \(day)") }
            ?? l.text("\(day)印发的同名文件", "the document of \(day)")
    }

    /// The attachments' list at the end of the body: 附件：1. … 2. …
    private var attachmentList: String? {
        guard !attachments.isEmpty else { return nil }
        let items = attachments.enumerated().map { "\($0.offset + 1). \($0.element.title)" }
        return l.text("附件：", "Attachments: ") + items.joined(separator: l.text("　", "; "))
    }

    private func attachmentTitle(_ index: Int) -> String {
        attachments.count == 1 ? l.text("附件", "Attachment") : l.text("附件\(index + 1)", "Attachment \(index + 1)")
    }

    private var printed: String { "\(heading.issuer)　　" + (heading.issuedOn.map { l.day("\($0)") + l.text("印发", " issued") } ?? "") }

    // MARK: Markdown

    /// The document in Markdown: what an office pastes into its own word processor.
    var markdown: String {
        var lines: [String] = []
        if let draftNote { lines += ["> " + draftNote, ""] }
        if addressees != nil { lines += ["**\(heading.issuer)**", ""] + (heading.number.map { [$0, ""] } ?? []) }
        lines += ["# " + title, ""]
        if let replacesNote { lines += [replacesNote, ""] }
        if let addressees { lines += [addressees + l.text("：", ":"), ""] }
        lines += body.flatMap(Self.markdown)
        if let attachmentList { lines += [attachmentList, ""] }
        lines += ["<div align=\"right\">", "", signer, "", dateLine, "", "</div>", ""]
        for (index, attachment) in attachments.enumerated() {
            lines += ["---", "", "**\(attachmentTitle(index))**", "", "## " + attachment.title, ""] + attachment.blocks.flatMap(Self.markdown)
        }
        if let copiedTo { lines += ["---", "", l.text("抄送：", "Copied to: ") + copiedTo, ""] }
        if printedLine { lines += [printed, ""] }
        return lines.joined(separator: "\n")
    }

    private static func markdown(_ block: Block) -> [String] {
        switch block {
        case .heading(let text): ["## " + text, ""]
        case .paragraph(let text): [text, ""]
        case .table(let table): table.markdown + [""]
        case .chart: []
        }
    }

    // MARK: HTML

    /// The document as one self-contained page, printable on A4.
    var html: String {
        var parts: [String] = []
        if let draftNote { parts.append("<p class=\"draft\">\(HTMLText.escape(draftNote))</p>") }
        if addressees != nil { parts.append(HTMLPage.letterhead(issuer: heading.issuer, number: heading.number)) }
        parts.append("<h1>\(HTMLText.escape(title))</h1>")
        if let replacesNote { parts.append("<p class=\"replaces\">\(HTMLText.escape(replacesNote))</p>") }
        if let addressees { parts.append("<p class=\"to\">\(HTMLText.escape(addressees + l.text("：", ":")))</p>") }
        parts += body.map(Self.html)
        if let attachmentList { parts.append("<p class=\"attachments\">\(HTMLText.escape(attachmentList))</p>") }
        parts.append(HTMLPage.signature(issuer: signer, date: dateLine))
        for (index, attachment) in attachments.enumerated() {
            parts.append("<section class=\"attachment\"><p class=\"label\">\(HTMLText.escape(attachmentTitle(index)))</p>")
            parts.append("<h2 class=\"attachment-title\">\(HTMLText.escape(attachment.title))</h2>")
            parts += attachment.blocks.map(Self.html)
            parts.append("</section>")
        }
        if copiedTo != nil || printedLine {
            var foot = "<footer class=\"imprint\">"
            if let copiedTo { foot += "<p>\(HTMLText.escape(l.text("抄送：", "Copied to: ") + copiedTo))</p>" }
            if printedLine { foot += "<p>\(HTMLText.escape(printed))</p>" }
            parts.append(foot + "</footer>")
        }
        return HTMLPage.page(title: title, language: l, parts: parts)
    }

    private static func html(_ block: Block) -> String {
        switch block {
        case .heading(let text): HTMLPage.heading(text)
        case .paragraph(let text): HTMLPage.paragraph(text)
        case .table(let table): table.html
        case .chart(let svg): svg
        }
    }
}

/// A table of a document: headers, rows, which columns are figures (aligned right) and which
/// rows sit under the one before (a city's counties).
struct DocumentTable {
    var headers: [String]
    var rows: [[String]]
    var numeric: Set<Int> = []
    var subRows: Set<Int> = []
    /// A CSS class that fixes the columns' widths (`named` for a notice's lists).
    var style: String?

    var markdown: [String] {
        let align = headers.indices.map { numeric.contains($0) ? "---:" : "---" }
        return ["| " + headers.joined(separator: " | ") + " |", "| " + align.joined(separator: " | ") + " |"]
            + rows.enumerated().map { index, row in
                "| " + row.enumerated().map { column, cell in
                    column == 0 && subRows.contains(index) ? "　" + cell : cell
                }.joined(separator: " | ") + " |"
            }
    }

    var html: String {
        HTMLPage.table(headers, rows, numeric: numeric, subRows: subRows, class: style)
    }
}
