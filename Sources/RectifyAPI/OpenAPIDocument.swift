/// The OpenAPI 3.1 document of the whole API, served at `GET /openapi.yaml`.
///
/// Kept here, in the binary, so that the server always serves the document of its own build;
/// a test checks that its paths and methods are exactly the routes the server registers.
public enum OpenAPIDocument {
    /// The document as YAML.
    public static let yaml = """
        openapi: 3.1.0
        info:
          title: rectify
          version: "1.0"
          summary: Progress reporting, close-out (销号) and inboxes for the inspection-rectification offices.
          description: |
            County, city and provincial offices reach rectify here with a bearer token from
            `rectify office add`. A token sees only its region and the regions below it. Every failure
            answers `{"error": {"code", "message", "field"}}`; while the database is unreachable, or
            every connection of the server is busy, the API answers 503 in the same shape with
            `Retry-After`. A `submission_id` is the office's own.
        servers:
          - url: http://127.0.0.1:8080
        security:
          - bearer: []
        paths:
          /v1/progress:
            post:
              operationId: submitProgress
              summary: Submit a month's progress on a task
              description: |
                Stored with the job that applies it, in one transaction. Re-sending a submission_id
                returns the first answer and writes nothing.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/Submission"}
              responses:
                "202":
                  description: Accepted; the job applies it.
                  headers:
                    Location: {schema: {type: string}, description: The job's URL.}
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/SubmissionAnswer"}
                default: {$ref: "#/components/responses/Error"}
          /v1/tasks:
            get:
              operationId: listTasks
              summary: The tasks the office may see
              parameters:
                - {name: region, in: query, description: A region code in the office's scope (default its own)., schema: {type: string, pattern: "^[0-9]{6}$"}}
                - {name: status, in: query, schema: {$ref: "#/components/schemas/TaskStatus"}}
                - {name: overdue, in: query, schema: {type: string, enum: ["true", "false"]}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 200, default: 50}}
                - {name: after, in: query, description: The next_after of the previous page., schema: {type: string, minLength: 1, maxLength: 200}}
              responses:
                "200":
                  description: One page of tasks, by id.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/TaskPage"}
                default: {$ref: "#/components/responses/Error"}
          /v1/tasks/{id}:
            get:
              operationId: getTask
              summary: A task with its history of changes
              parameters:
                - {$ref: "#/components/parameters/TaskID"}
              responses:
                "200":
                  description: The task and every change to it, oldest first.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [task, history]
                        properties:
                          task: {$ref: "#/components/schemas/Task"}
                          history: {type: array, items: {$ref: "#/components/schemas/HistoryEntry"}}
                default: {$ref: "#/components/responses/Error"}
          /v1/tasks/{id}/acceptance:
            post:
              operationId: decideAcceptance
              summary: The province accepts or rejects a pending_acceptance task (provincial offices only)
              description: Accepting opens the public notice (公示); when it ends with no objection a scheduled job closes the task.
              parameters:
                - {$ref: "#/components/parameters/TaskID"}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [decision]
                      properties:
                        decision: {type: string, enum: [accept, reject]}
                        note: {type: string, maxLength: 4000, description: Required when rejecting.}
              responses:
                "200":
                  description: The task's new status.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/DecisionAnswer"}
                default: {$ref: "#/components/responses/Error"}
          /v1/tasks/{id}/objection:
            post:
              operationId: object
              summary: Object during a task's public notice (an office above the lead unit's region; its own office gets 403)
              parameters:
                - {$ref: "#/components/parameters/TaskID"}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [reason]
                      properties:
                        reason: {type: string, minLength: 1, maxLength: 4000}
              responses:
                "200":
                  description: The task went back to in_progress.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/DecisionAnswer"}
                default: {$ref: "#/components/responses/Error"}
          /v1/evidence:
            post:
              operationId: uploadEvidence
              summary: Upload an evidence file (PDF, JPEG, PNG, DOCX or XLSX, told by its content; 20 MiB at most)
              description: The body is the file itself. The answer's sha256 is what a submission cites in its evidence; a submission may cite only files its own office uploaded.
              parameters:
                - {name: name, in: query, required: true, description: The file's name as the office knows it., schema: {type: string, minLength: 1, maxLength: 200}}
              requestBody:
                required: true
                content:
                  application/octet-stream:
                    schema: {type: string, format: binary}
              responses:
                "201":
                  description: Kept (or kept already), with its SHA-256.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [sha256, name, media_type, size]
                        properties:
                          sha256: {type: string, pattern: '^[0-9a-f]{64}$'}
                          name: {type: string}
                          media_type: {type: string}
                          size: {type: integer}
                "413": {$ref: "#/components/responses/Error"}
                "415": {$ref: "#/components/responses/Error"}
                default: {$ref: "#/components/responses/Error"}
          /v1/evidence/{sha256}:
            get:
              operationId: readEvidence
              summary: Read an evidence file the office uploaded, or one cited by a submission on a task in its scope (streamed)
              parameters:
                - {name: sha256, in: path, required: true, schema: {type: string, pattern: '^[0-9a-f]{64}$'}}
              responses:
                "200": {$ref: "#/components/responses/EvidenceFile"}
                default: {$ref: "#/components/responses/Error"}
          /v1/notifications:
            get:
              operationId: listNotifications
              summary: The office's inbox, newest first; notices of issued reports only (a draft sends nothing until the province issues it)
              parameters:
                - {name: unread, in: query, schema: {type: string, enum: ["true", "false"]}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 200, default: 50}}
                - {name: before, in: query, description: The next_before of the previous page., schema: {type: integer, minimum: 1}}
              responses:
                "200":
                  description: Notifications.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [notifications, next_before]
                        properties:
                          notifications: {type: array, items: {$ref: "#/components/schemas/Notification"}}
                          next_before: {type: [integer, "null"]}
                default: {$ref: "#/components/responses/Error"}
          /v1/notifications/{id}/read:
            post:
              operationId: markNotificationRead
              summary: Mark a notification of the inbox read
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
              responses:
                "200":
                  description: Marked read (again is fine).
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [id, read]
                        properties:
                          id: {type: integer}
                          read: {type: boolean}
                default: {$ref: "#/components/responses/Error"}
          /v1/jobs/{id}:
            get:
              operationId: getJob
              summary: A job that one of the office's submissions caused
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
              responses:
                "200":
                  description: Where the job stands.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Job"}
                default: {$ref: "#/components/responses/Error"}
          /healthz:
            get:
              operationId: health
              summary: The process is up
              security: []
              responses:
                "200":
                  description: Up.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status]
                        properties:
                          status: {const: ok}
                default: {$ref: "#/components/responses/Error"}
          /readyz:
            get:
              operationId: ready
              summary: The database is reachable and its schema current
              security: []
              responses:
                "200":
                  description: Ready.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Readiness"}
                "503":
                  description: Not ready, with the reason.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Readiness"}
                default: {$ref: "#/components/responses/Error"}
          /metrics:
            get:
              operationId: metrics
              summary: Prometheus metrics (text format 0.0.4)
              security: []
              responses:
                "200":
                  description: Metrics.
                  content:
                    text/plain:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
          /openapi.yaml:
            get:
              operationId: openapi
              summary: This document
              security: []
              responses:
                "200":
                  description: The OpenAPI document.
                  content:
                    application/yaml:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
          /ops:
            get:
              operationId: opsOverview
              summary: The ops page (HTML, no JavaScript), for people of an ops office signed in on the desk
              security: []
              parameters:
                - {name: notice, in: query, description: The outcome of an action, from a fixed list., schema: {type: string, enum: [retried, discarded, unchanged]}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                default: {$ref: "#/components/responses/Error"}
          /ops/jobs/{id}:
            get:
              operationId: opsJob
              summary: A job's page with its error history (HTML, ops people only)
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
                - {name: notice, in: query, schema: {type: string, enum: [retried, discarded, unchanged]}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                default: {$ref: "#/components/responses/Error"}
          /ops/jobs/{id}/retry:
            post:
              operationId: opsRetry
              summary: Retry a discarded, cancelled, retryable or scheduled job now (ops people, with the session's CSRF token)
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/FormRefused"}
                default: {$ref: "#/components/responses/Error"}
          /ops/jobs/{id}/discard:
            post:
              operationId: opsDiscard
              summary: Discard a live job (ops people, with the session's CSRF token)
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/FormRefused"}
                default: {$ref: "#/components/responses/Error"}
          /desk:
            get:
              operationId: deskTasks
              summary: "我的整改任务, the office's tasks with status, deadline, days overdue and reported or not (HTML)"
              security: []
              parameters:
                - {name: status, in: query, schema: {type: string}}
                - {name: overdue, in: query, schema: {type: string, enum: ["1"]}}
                - {name: unreported, in: query, schema: {type: string, enum: ["1"]}}
                - {name: q, in: query, description: Words of the title, id or lead unit., schema: {type: string, maxLength: 100}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                default: {$ref: "#/components/responses/Error"}
          /desk/tasks/{id}:
            get:
              operationId: deskTask
              summary: A task's page, with where it stands, the progress form, its submissions, the notices that named it and its history (HTML)
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, maxLength: 200}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                default: {$ref: "#/components/responses/Error"}
          /desk/tasks/{id}/progress:
            post:
              operationId: deskReportProgress
              summary: Report progress on a task (报送进展), by the same rules as POST /v1/progress
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, maxLength: 200}}
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
                        evidence: {type: array, items: {type: string, format: binary}, description: "Files: 20 MiB each, 100 MiB in all."}
                        period: {type: string, pattern: '^[0-9]{4}-[0-9]{2}$'}
                        progress: {type: string}
                        status: {type: string, enum: [in_progress, pending_acceptance]}
                        summary: {type: string, maxLength: 4000}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/FormRefused"}
                "422":
                  description: Refused by a rule; the form again with the reason and what was typed.
                  content:
                    text/html:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
          /desk/overview:
            get:
              operationId: deskOverview
              summary: The province's overview by city, with the tasks closed in each of the last twelve months (HTML)
              security: []
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "403": {$ref: "#/components/responses/ProvinceOnly"}
                default: {$ref: "#/components/responses/Error"}
          /desk/acceptance:
            get:
              operationId: deskAcceptance
              summary: "待验收, the tasks waiting for the province with what their units reported last (HTML)"
              security: []
              parameters:
                - {name: done, in: query, schema: {type: string, enum: [accepted, rejected]}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "403": {$ref: "#/components/responses/ProvinceOnly"}
                default: {$ref: "#/components/responses/Error"}
          /desk/tasks/{id}/decision:
            post:
              operationId: deskDecide
              summary: Accept a task (opening its public notice) or send it back with a note
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, maxLength: 200}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
                        decision: {type: string, enum: [accept, reject]}
                        note: {type: string, maxLength: 4000}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/ProvinceFormRefused"}
                "422": {$ref: "#/components/responses/RuleRefused"}
                default: {$ref: "#/components/responses/Error"}
          /desk/tasks/{id}/extension:
            post:
              operationId: deskExtend
              summary: Extend a task's deadline (延期) with the reason and the document number
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, maxLength: 200}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
                        to: {type: string, format: date}
                        reason: {type: string, maxLength: 4000}
                        document: {type: string, maxLength: 200}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/ProvinceFormRefused"}
                "422": {$ref: "#/components/responses/RuleRefused"}
                default: {$ref: "#/components/responses/Error"}
          /desk/reports:
            get:
              operationId: deskReports
              summary: The month's reports, drafts and issued, to read, download and issue (HTML)
              security: []
              parameters:
                - {name: done, in: query, schema: {type: string, enum: [issued]}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "403": {$ref: "#/components/responses/ProvinceOnly"}
                default: {$ref: "#/components/responses/Error"}
          /desk/reports/{id}:
            get:
              operationId: deskReport
              summary: A report as the document the office issues (HTML)
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
              responses:
                "200":
                  description: The document.
                  content:
                    text/html:
                      schema: {type: string}
                "303": {$ref: "#/components/responses/SignIn"}
                "403": {$ref: "#/components/responses/ProvinceOnly"}
                default: {$ref: "#/components/responses/Error"}
          /desk/reports/{id}/download/{format}:
            get:
              operationId: deskReportDownload
              summary: A report as a file (html, md, csv or json)
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
                - {name: format, in: path, required: true, schema: {type: string, enum: [html, md, csv, json]}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "403": {$ref: "#/components/responses/ProvinceOnly"}
                default: {$ref: "#/components/responses/Error"}
          /desk/reports/{id}/issue:
            post:
              operationId: deskIssue
              summary: "Issue (签发) a draft: fixes its date and 文号 and sends its notifications"
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
                        on: {type: string, format: date}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/ProvinceFormRefused"}
                "422": {$ref: "#/components/responses/RuleRefused"}
                default: {$ref: "#/components/responses/Error"}
          /gongshi:
            get:
              operationId: publicNotice
              summary: The tasks under public notice (公示) with their rectification, and the objection form (HTML, no sign-in)
              security: []
              responses:
                "200": {$ref: "#/components/responses/Page"}
                default: {$ref: "#/components/responses/Error"}
          /gongshi/{task}/objection:
            post:
              operationId: publicObjection
              summary: An objection from the public against a task's close-out, kept for the province's decision
              security: []
              parameters:
                - {name: task, in: path, required: true, schema: {type: string, maxLength: 200}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf, name, contact, reason]
                      properties:
                        csrf: {type: string, maxLength: 64}
                        name: {type: string, maxLength: 50}
                        contact: {type: string, maxLength: 100}
                        reason: {type: string, maxLength: 2000}
              responses:
                "200":
                  description: Received.
                  content:
                    text/html:
                      schema: {type: string}
                "403":
                  description: The form's token is missing or wrong.
                  content:
                    text/html:
                      schema: {type: string}
                "404":
                  description: The task is not under public notice.
                  content:
                    text/html:
                      schema: {type: string}
                "422":
                  description: A field is missing or too long.
                  content:
                    text/html:
                      schema: {type: string}
                "429":
                  description: Five objections from this address in the last hour (Retry-After).
                  content:
                    text/html:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
          /desk/notices:
            get:
              operationId: deskNotices
              summary: The public notices in progress and the objections waiting for the province (HTML)
              security: []
              parameters:
                - {name: done, in: query, schema: {type: string, enum: ["1"]}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "403": {$ref: "#/components/responses/ProvinceOnly"}
                default: {$ref: "#/components/responses/Error"}
          /desk/objections/{id}/decision:
            post:
              operationId: deskDecideObjection
              summary: Uphold an objection from the public (the task goes back) or dismiss it with a reason
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf, decision]
                      properties:
                        csrf: {type: string, maxLength: 64}
                        decision: {type: string, enum: [uphold, dismiss]}
                        reason: {type: string, maxLength: 2000}
              responses:
                "303":
                  description: Decided; back to the notices.
                "403":
                  description: The form's CSRF token is missing or wrong, or the person is not of the provincial office.
                  content:
                    text/html:
                      schema: {type: string}
                "422":
                  description: Refused (a dismissal without a reason, an objection already decided).
                  content:
                    text/html:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
          /desk/evidence/{sha256}:
            get:
              operationId: deskEvidence
              summary: An evidence file, for a person whose office may read it (streamed)
              security: []
              parameters:
                - {name: sha256, in: path, required: true, schema: {type: string, maxLength: 64}}
              responses:
                "200": {$ref: "#/components/responses/EvidenceFile"}
                "303": {$ref: "#/components/responses/SignIn"}
                "404":
                  description: No such file this person's office may read.
                  content:
                    text/html:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
          /desk/inbox:
            get:
              operationId: deskInbox
              summary: The office's inbox, the 通报, 预警 and 提醒 addressed to it (HTML)
              security: []
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                default: {$ref: "#/components/responses/Error"}
          /desk/inbox/{id}/read:
            post:
              operationId: deskMarkRead
              summary: Mark a notice read
              security: []
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/FormRefused"}
                default: {$ref: "#/components/responses/Error"}
          /desk/signin:
            get:
              operationId: deskSignInPage
              summary: The sign-in page (HTML)
              security: []
              parameters:
                - {name: next, in: query, description: A path on this site to go on to., schema: {type: string, maxLength: 500}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                default: {$ref: "#/components/responses/Error"}
            post:
              operationId: deskSignIn
              summary: Sign in, which sets the session cookie (HttpOnly, SameSite=Lax; Secure and __Host- behind TLS)
              security: []
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
                        login: {type: string, maxLength: 64}
                        password: {type: string, maxLength: 200}
                        next: {type: string, maxLength: 500}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/FormRefused"}
                "401":
                  description: Wrong login or password.
                  content:
                    text/html:
                      schema: {type: string}
                "429":
                  description: Too many failures for the account or the address; says until when (Retry-After).
                  content:
                    text/html:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
          /desk/signout:
            post:
              operationId: deskSignOut
              summary: Sign out, which ends the session
              security: []
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/FormRefused"}
                default: {$ref: "#/components/responses/Error"}
          /desk/password/{secret}:
            get:
              operationId: deskPasswordPage
              summary: Set a password with a one-time link from `rectify user add` (HTML)
              security: []
              parameters:
                - {name: secret, in: path, required: true, schema: {type: string, maxLength: 128}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                "404":
                  description: The link is unknown, used or expired.
                  content:
                    text/html:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
            post:
              operationId: deskSetPassword
              summary: Set the password, which uses the link up
              security: []
              parameters:
                - {name: secret, in: path, required: true, schema: {type: string, maxLength: 128}}
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      required: [csrf]
                      properties:
                        csrf: {type: string, maxLength: 64}
                        password: {type: string}
                        confirm: {type: string}
              responses:
                "303":
                  description: Done; to the next page.
                "403": {$ref: "#/components/responses/FormRefused"}
                "404":
                  description: The link is unknown, used or expired.
                  content:
                    text/html:
                      schema: {type: string}
                "422":
                  description: The password is refused (too short, too common, contains the login); the form again.
                  content:
                    text/html:
                      schema: {type: string}
                default: {$ref: "#/components/responses/Error"}
          /desk/lang/{language}:
            get:
              operationId: deskLanguage
              summary: Switch the desk's language (a cookie) and go back
              security: []
              parameters:
                - {name: language, in: path, required: true, schema: {type: string, enum: [zh, en]}}
                - {name: back, in: query, schema: {type: string, maxLength: 500}}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "303": {$ref: "#/components/responses/SignIn"}
                default: {$ref: "#/components/responses/Error"}
        components:
          securitySchemes:
            bearer:
              type: http
              scheme: bearer
              description: An office token from `rectify office add` (only its SHA-256 is stored).
          parameters:
            TaskID:
              name: id
              in: path
              required: true
              schema: {type: string, minLength: 1, maxLength: 200}
          responses:
            EvidenceFile:
              description: The file, streamed, as the type its content showed.
              content:
                application/pdf:
                  schema: {type: string, format: binary}
                image/jpeg:
                  schema: {type: string, format: binary}
                image/png:
                  schema: {type: string, format: binary}
                application/vnd.openxmlformats-officedocument.wordprocessingml.document:
                  schema: {type: string, format: binary}
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema: {type: string, format: binary}
            Page:
              description: The page.
              content:
                text/html:
                  schema: {type: string}
            SignIn:
              description: Not signed in; to the sign-in page.
            ProvinceOnly:
              description: Not a person of the provincial office.
              content:
                text/html:
                  schema: {type: string}
            FormRefused:
              description: The form's CSRF token is missing or wrong, or the person may not do this; nothing changed.
              content:
                text/html:
                  schema: {type: string}
            ProvinceFormRefused:
              description: The form's CSRF token is missing or wrong, or the person is not of the provincial office; nothing changed.
              content:
                text/html:
                  schema: {type: string}
            RuleRefused:
              description: Refused by a rule, with the reason; nothing changed.
              content:
                text/html:
                  schema: {type: string}
            Error:
              description: "Any failure: 400 bad input, 401 token, 403 scope or role, 404, 405, 409 state machine, 413 body too large, 415 not JSON, 422 rule, 429 over a rate limit (with Retry-After), 503 database unavailable or server busy (with Retry-After)."
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
          schemas:
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message]
                  properties:
                    code: {type: string, examples: [out_of_scope, transition_forbidden, invalid_field, unauthorized]}
                    message: {type: string}
                    field: {type: string}
            TaskStatus:
              type: string
              enum: [not_started, in_progress, pending_acceptance, accepted, closed]
            Submission:
              type: object
              additionalProperties: false
              required: [submission_id, task, period, progress, status]
              properties:
                submission_id: {type: string, minLength: 1, maxLength: 200, description: Client-chosen idempotency key.}
                task: {type: string, minLength: 1, maxLength: 200}
                period: {type: string, pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM, not in the future."}
                progress: {type: integer, minimum: 0, maximum: 100}
                status: {$ref: "#/components/schemas/TaskStatus"}
                summary: {type: string, maxLength: 4000}
                evidence:
                  type: array
                  maxItems: 50
                  items:
                    type: object
                    additionalProperties: false
                    required: [name, sha256]
                    properties:
                      name: {type: string, minLength: 1, maxLength: 255}
                      sha256: {type: string, pattern: "^[0-9a-f]{64}$"}
            SubmissionAnswer:
              type: object
              required: [submission_id, job_id, job]
              properties:
                submission_id: {type: string}
                job_id: {type: integer}
                job: {type: string}
            Task:
              type: object
              required: [id, title, round, category, region, region_name, lead_unit, lead_unit_name, deadline, status, progress, overdue]
              properties:
                id: {type: string}
                title: {type: string}
                round: {type: string}
                category: {type: string}
                region: {type: string}
                region_name: {type: string}
                lead_unit: {type: string}
                lead_unit_name: {type: string}
                deadline: {type: string, format: date}
                status: {$ref: "#/components/schemas/TaskStatus"}
                progress: {type: integer, minimum: 0, maximum: 100}
                closed_on: {type: [string, "null"], format: date}
                overdue: {type: boolean, description: "not started or in progress, with its deadline before today"}
            TaskPage:
              type: object
              required: [tasks, next_after]
              properties:
                tasks: {type: array, items: {$ref: "#/components/schemas/Task"}}
                next_after: {type: [string, "null"]}
            HistoryEntry:
              type: object
              required: [id, changed_at, source, actor, note]
              properties:
                id: {type: integer}
                changed_at: {type: string, format: date-time}
                source: {type: string, enum: [submission, acceptance, rejection, objection, public_notice, extension, import]}
                actor: {type: string}
                reference: {type: [string, "null"]}
                note: {type: string}
                old_status: {type: [string, "null"]}
                new_status: {type: [string, "null"]}
                old_progress: {type: [integer, "null"]}
                new_progress: {type: [integer, "null"]}
                old_deadline: {type: [string, "null"]}
                new_deadline: {type: [string, "null"]}
            DecisionAnswer:
              type: object
              required: [task, status]
              properties:
                task: {type: string}
                status: {$ref: "#/components/schemas/TaskStatus"}
                public_notice_job_id: {type: [integer, "null"]}
                public_notice_ends_at: {type: [string, "null"], format: date-time}
            Notification:
              type: object
              required: [id, kind, period, tasks, created_at, read]
              properties:
                id: {type: integer}
                kind: {type: string, enum: [named, due_next_month, not_reported]}
                period: {type: string}
                level: {type: [string, "null"], enum: [reminder, warning, public_notice, null]}
                unit: {type: [string, "null"]}
                unit_name: {type: [string, "null"]}
                tasks: {type: array}
                created_at: {type: string, format: date-time, description: when the report that sent it was issued}
                read: {type: boolean}
            Job:
              type: object
              required: [id, kind, state, attempts, max_attempts, last_error, errors, created_at]
              properties:
                id: {type: integer}
                kind: {type: string}
                state: {type: string, enum: [available, scheduled, running, retryable, completed, discarded, cancelled]}
                attempts: {type: integer}
                max_attempts: {type: integer}
                last_error: {type: [string, "null"]}
                errors: {type: array, items: {type: string}}
                created_at: {type: string, format: date-time}
                finished_at: {type: [string, "null"], format: date-time}
            Readiness:
              type: object
              required: [status, database]
              properties:
                status: {type: string, enum: [ok, unavailable]}
                database: {type: string}
        """
}
