import Foundation
import Hummingbird
import RectifyDomain
import Logging
import RectifyAccounts
import RectifyLedger
import RectifyReports

/// Signing in and out of the desk, setting a password through a one-time link, and the
/// language switch.
extension APIRoutes {
    func registerDeskAccount(on desk: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let sessions = SessionDesk(pool: pool, policy: settings.desk.accounts)
        let people = PeopleRegistry(pool: pool, policy: settings.desk.accounts)
        desk.get(routes.add(.get, "/desk/signin")) { request, context in
            if let session = context.session { return Self.redirect(Self.home(session)) }
            let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
            return deskPage(signInPage(context, next: next, message: nil), context: context, formToken: request)
        }
        desk.post(routes.add(.post, "/desk/signin")) { request, context in
            let fields = try await DeskForm.fields(request)
            let next = Self.safeNext(fields["next"])
            guard formTokenMatches(request, fields) else { return expiredForm(context) }
            let login = fields["login"] ?? "", password = fields["password"] ?? ""
            guard !login.isEmpty, !password.isEmpty, login.count <= 64, password.utf8.count <= 200,
                  !ControlCharacters.contained(in: login), !ControlCharacters.contained(in: password) else {
                let text = context.language.t("请填写登录名和密码。", "Enter your login and password.")
                return deskPage(signInPage(context, next: next, message: text), status: .badRequest, context: context, formToken: request)
            }
            switch try await sessions.signIn(login: login, password: password, address: context.clientAddress) {
            case .signedIn(let cookie, let session):
                var response = Self.redirect(next ?? Self.home(session))
                response.setCookie(settings.desk.cookie(settings.desk.sessionCookie, cookie, maxAge: nil))
                context.logger.info("signed in", metadata: ["rectify.person.id": "\(session.person.id)"])
                return response
            case .refused:
                let text = context.language.t("登录名或密码不正确。", "The login or the password is wrong.")
                return deskPage(signInPage(context, next: next, message: text), status: .unauthorized, context: context, formToken: request)
            case .throttled(let until):
                let time = Self.clock(until, zone: settings.timeZone)
                let text = context.language.t(
                    "尝试次数过多，已暂时锁定，请于 \(time) 后再试。", "Too many failed attempts: signing in is locked until \(time).")
                var response = deskPage(
                    signInPage(context, next: next, message: text), status: .tooManyRequests, context: context, formToken: request)
                response.headers[.retryAfter] = "\(max(1, Int(until.timeIntervalSinceNow.rounded(.up))))"
                return response
            }
        }
        desk.post(routes.add(.post, "/desk/signout")) { request, context in
            if let session = context.session {
                guard try await sessionForm(request, of: session) != nil else { return expiredForm(context) }
                if let cookie = request.cookies[settings.desk.sessionCookie]?.value { try await sessions.signOut(cookie: cookie) }
            }
            var response = Self.redirect("/desk/signin")
            response.setCookie(settings.desk.cookie(settings.desk.sessionCookie, "", maxAge: 0))
            return response
        }
        desk.get(routes.add(.get, "/desk/password/{secret}")) { request, context in
            let secret = context.parameters.get("secret") ?? ""
            guard secret.utf8.count <= 128, let person = try await people.person(forLink: secret) else { return linkGone(context) }
            return deskPage(passwordPage(context, person: person, secret: secret, message: nil), context: context, formToken: request)
        }
        desk.post(routes.add(.post, "/desk/password/{secret}")) { request, context in
            let secret = context.parameters.get("secret") ?? ""
            let fields = try await DeskForm.fields(request)
            guard formTokenMatches(request, fields) else { return expiredForm(context) }
            guard secret.utf8.count <= 128, let person = try await people.person(forLink: secret) else { return linkGone(context) }
            let l = context.language
            let password = fields["password"] ?? ""
            var problem: String?
            if password != fields["confirm"] {
                problem = l.t("两次输入的密码不一致。", "The two passwords differ.")
            } else if let refused = Passwords.problem(password, login: person.login, name: person.name) {
                problem = refused.message(chinese: l == .zh) + l.t("。", ".")
            }
            if let problem {
                return deskPage(passwordPage(context, person: person, secret: secret, message: problem), status: .unprocessableContent,
                                context: context, formToken: request)
            }
            do {
                try await people.setPassword(link: secret, password: password)
            } catch let error as AccountError {
                return deskPage(passwordPage(context, person: person, secret: secret, message: error.message),
                                status: .unprocessableContent, context: context, formToken: request)
            }
            let body = DeskLayout.message(l.t("密码已设置。", "Your password is set."))
                + "<p><a href=\"/desk/signin\">\(l.t("去登录", "Sign in"))</a> · \(l.t("登录名", "login")): <strong>\(HTMLText.escape(person.login))</strong></p>"
            return deskPage(title: l.t("设置密码", "Set your password"), body: body, context: context)
        }
        desk.get(routes.add(.get, "/desk/lang/{language}")) { request, context in
            let language = DeskLanguage(rawValue: context.parameters.get("language") ?? "") ?? .zh
            var response = Self.redirect(Self.safeNext(request.uri.queryParameters["back"].map(String.init)) ?? "/desk")
            response.setCookie(Cookie(name: DeskLanguage.cookie, value: language.rawValue, maxAge: 365 * 86_400, path: "/", sameSite: .lax))
            return response
        }
    }

    // MARK: - Pages

    private func signInPage(_ context: APIRequestContext, next: String?, message: String?) -> (title: String, body: String) {
        let l = context.language
        var body = message.map { DeskLayout.message($0, kind: "error") } ?? ""
        body += """
            <section class="narrow"><form method="post" action="/desk/signin">
            <input type="hidden" name="csrf" value="{form-token}">
            \(next.map { "<input type=\"hidden\" name=\"next\" value=\"\(HTMLText.escape($0))\">" } ?? "")
            <label for="login">\(l.t("登录名", "Login"))</label>
            <input id="login" name="login" autocomplete="username" required maxlength="64" autofocus>
            <label for="password">\(l.t("密码", "Password"))</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <p><button>\(l.t("登录", "Sign in"))</button></p></form>
            <p class="muted">\(l.t("没有账号或忘记密码，请联系本单位管理员发送设置密码的链接。",
                                   "No account, or forgot your password? Ask your administrator for a link to set one."))</p></section>
            """
        return (l.t("登录", "Sign in"), body)
    }

    private func passwordPage(_ context: APIRequestContext, person: Person, secret: String, message: String?) -> (title: String, body: String) {
        let l = context.language
        var body = message.map { DeskLayout.message($0, kind: "error") } ?? ""
        body += """
            <section class="narrow"><p>\(HTMLText.escape(person.name)) · \(HTMLText.escape(person.office.name))</p>
            <p class="muted">\(l.t("登录名", "Login")): <strong>\(HTMLText.escape(person.login))</strong></p>
            <form method="post" action="\(DeskLinks.password(secret))">
            <input type="hidden" name="csrf" value="{form-token}">
            <label for="password">\(l.t("新密码（至少 \(Passwords.minimumLength) 个字符）", "New password (at least \(Passwords.minimumLength) characters)"))</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required minlength="\(Passwords.minimumLength)">
            <label for="confirm">\(l.t("再次输入", "Again"))</label>
            <input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="\(Passwords.minimumLength)">
            <p><button>\(l.t("设置密码", "Set password"))</button></p></form></section>
            """
        return (l.t("设置密码", "Set your password"), body)
    }

    private func linkGone(_ context: APIRequestContext) -> Response {
        let l = context.language
        return deskPage(
            title: l.t("链接已失效", "This link no longer works"),
            body: DeskLayout.message(l.t("该链接不存在、已使用或已过期，请联系管理员重新发送。",
                                         "The link is unknown, used or expired; ask your administrator for a new one."), kind: "error"),
            status: .notFound, context: context)
    }

    /// 403 for a form without the right token (the session's, or the form cookie's before
    /// sign-in): nothing was changed.
    func expiredForm(_ context: APIRequestContext) -> Response {
        let l = context.language
        return deskPage(
            title: l.t("表单已过期", "This form has expired"),
            body: DeskLayout.message(l.t("表单已过期或来源不明，未作任何更改。请返回后重新打开页面再提交。",
                                         "The form expired or did not come from this site; nothing was changed. Open the page again and resend."),
                                     kind: "error"),
            status: .forbidden, context: context)
    }

    // MARK: - Form tokens before a session

    /// The form's fields when it carries `session`'s CSRF token, else `nil` (answer with
    /// ``expiredForm(_:)``): every form a signed-in person posts is read through here.
    func sessionForm(_ request: Request, of session: Session) async throws -> [String: String]? {
        let fields = try await DeskForm.fields(request)
        return fields["csrf"] == session.csrfToken ? fields : nil
    }

    /// Whether the form's `csrf` field matches the form cookie set with the page.
    func formTokenMatches(_ request: Request, _ fields: [String: String]) -> Bool {
        guard let cookie = request.cookies[settings.desk.formCookie]?.value, cookie.utf8.count == 64 else { return false }
        return fields["csrf"] == cookie
    }

    /// A page whose forms carry a form token (`{form-token}` in `page.body`): the one in the
    /// request's cookie, or a new one set now.
    func deskPage(
        _ page: (title: String, body: String), status: HTTPResponse.Status = .ok, context: APIRequestContext, formToken request: Request
    ) -> Response {
        let existing = request.cookies[settings.desk.formCookie]?.value
        let token = existing.flatMap { $0.utf8.count == 64 ? $0 : nil } ?? Secrets.newFormToken()
        var response = deskPage(title: page.title, body: page.body.replacingOccurrences(of: "{form-token}", with: token),
                                status: status, context: context)
        if existing != token { response.setCookie(settings.desk.cookie(settings.desk.formCookie, token, maxAge: 86_400)) }
        return response
    }

    // MARK: - Shared

    /// A desk page in the request's language, with the header of its session.
    func deskPage(title: String, body: String, status: HTTPResponse.Status = .ok, context: APIRequestContext, unread: Int = 0) -> Response {
        let chrome = DeskLayout.Chrome(language: context.language, session: context.session, unread: unread, path: context.pagePath)
        return Self.html(DeskLayout.page(title, chrome: chrome, body: body), status: status)
    }

    /// Where a person lands after signing in: the ops page for ops, else their tasks.
    static func home(_ session: Session) -> String { session.person.office.isOps ? "/ops" : "/desk" }

    /// A path on this site to go on to, or `nil` for anything else (another site, `//host`).
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.utf8.count <= 500,
              !ControlCharacters.contained(in: next) else { return nil }
        return next
    }

    /// A moment as the clock in the province shows it (HH:mm, with the day when not today).
    static func clock(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        formatter.dateFormat = calendar.isDate(date, inSameDayAs: Date()) ? "HH:mm" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
