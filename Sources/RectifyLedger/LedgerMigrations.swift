public import RectifyPostgres

/// The ledger's schema (component `ledger`): regions, units, rounds, tasks, petitions and
/// accountability cases, with the SPEC's enumerations, ranges and rules enforced by the
/// database as well as by the reader.
public enum LedgerMigrations {
    /// The migrator for the ledger schema.
    public static let migrator = Migrator(component: "ledger", migrations: [
        Migration(version: 1, name: "ledger", sql: """
            CREATE TABLE rectify_regions (
                code   text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
                name   text NOT NULL CHECK (name <> ''),
                level  text NOT NULL CHECK (level IN ('province', 'city', 'county')),
                parent text REFERENCES rectify_regions (code),
                CHECK ((level = 'province') = (parent IS NULL))
            );
            CREATE INDEX rectify_regions_parent ON rectify_regions (parent);

            CREATE TABLE rectify_units (
                id     text PRIMARY KEY CHECK (id <> ''),
                name   text NOT NULL CHECK (name <> ''),
                region text NOT NULL REFERENCES rectify_regions (code),
                kind   text NOT NULL CHECK (kind IN ('party_committee', 'government', 'department', 'enterprise', 'other'))
            );
            CREATE INDEX rectify_units_region ON rectify_units (region);

            CREATE TABLE rectify_rounds (
                id               text PRIMARY KEY CHECK (id <> ''),
                name             text NOT NULL,
                inspection_group text NOT NULL,
                region           text NOT NULL REFERENCES rectify_regions (code),
                inspected_from   date NOT NULL,
                inspected_to     date NOT NULL CHECK (inspected_to >= inspected_from),
                feedback_on      date NOT NULL
            );

            CREATE TABLE rectify_tasks (
                id        text PRIMARY KEY CHECK (id <> ''),
                round     text NOT NULL REFERENCES rectify_rounds (id),
                title     text NOT NULL,
                category  text NOT NULL CHECK (category IN ('air', 'water', 'soil', 'solid_waste', 'ecology', 'climate', 'other')),
                region    text NOT NULL REFERENCES rectify_regions (code),
                lead_unit text NOT NULL REFERENCES rectify_units (id),
                deadline  date NOT NULL,
                status    text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'pending_acceptance', 'accepted', 'closed')),
                progress  integer NOT NULL CHECK (progress BETWEEN 0 AND 100),
                closed_on date,
                CHECK ((status = 'closed') = (closed_on IS NOT NULL))
            );
            CREATE INDEX rectify_tasks_round ON rectify_tasks (round);
            CREATE INDEX rectify_tasks_lead_unit ON rectify_tasks (lead_unit);
            CREATE INDEX rectify_tasks_region ON rectify_tasks (region);

            CREATE TABLE rectify_petitions (
                id          text PRIMARY KEY CHECK (id <> ''),
                round       text NOT NULL REFERENCES rectify_rounds (id),
                region      text NOT NULL REFERENCES rectify_regions (code),
                received_on date NOT NULL,
                category    text NOT NULL CHECK (category IN ('air', 'water', 'soil', 'solid_waste', 'ecology', 'climate', 'other')),
                status      text NOT NULL CHECK (status IN ('open', 'closed', 'closed_in_stages')),
                closed_on   date,
                CHECK (status = 'open' OR closed_on IS NOT NULL)
            );
            CREATE INDEX rectify_petitions_round ON rectify_petitions (round);

            CREATE TABLE rectify_accountability_cases (
                id           text PRIMARY KEY CHECK (id <> ''),
                round        text NOT NULL REFERENCES rectify_rounds (id),
                region       text NOT NULL REFERENCES rectify_regions (code),
                source       text NOT NULL CHECK (source IN ('transferred_by_inspection', 'provincial', 'other')),
                opened_on    date NOT NULL,
                concluded_on date
            );

            -- A unit is held once per case that names it; the ordinal keeps the file's order.
            CREATE TABLE rectify_accountability_units (
                case_id text    NOT NULL REFERENCES rectify_accountability_cases (id) ON DELETE CASCADE,
                ordinal integer NOT NULL,
                unit    text    NOT NULL REFERENCES rectify_units (id),
                PRIMARY KEY (case_id, ordinal)
            );

            CREATE TABLE rectify_accountability_persons (
                case_id  text    NOT NULL REFERENCES rectify_accountability_cases (id) ON DELETE CASCADE,
                ordinal  integer NOT NULL,
                name     text    NOT NULL,
                position text    NOT NULL,
                rank     text    NOT NULL CHECK (rank IN ('provincial', 'department', 'division', 'section_and_below', 'other')),
                sanction text    NOT NULL CHECK (sanction IN ('party_discipline', 'government_sanction', 'admonishment',
                                                               'organizational_handling', 'other')),
                PRIMARY KEY (case_id, ordinal)
            );
            """),
        Migration(version: 2, name: "offices", sql: """
            -- The county, city and provincial offices that report progress over the API. Only a
            -- SHA-256 of each bearer token is kept; the token itself is shown once, at creation.
            CREATE TABLE rectify_offices (
                id         bigserial   PRIMARY KEY,
                region     text        NOT NULL REFERENCES rectify_regions (code),
                name       text        NOT NULL CHECK (name <> ''),
                role       text        NOT NULL CHECK (role IN ('county', 'city', 'province')),
                token_hash bytea       NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now(),
                revoked_at timestamptz
            );
            CREATE INDEX rectify_offices_region ON rectify_offices (region);
            """),
        Migration(version: 3, name: "progress submissions", sql: """
            -- Monthly progress an office reported on a task; submission_id is the client's
            -- idempotency key.
            CREATE TABLE rectify_progress_submissions (
                submission_id text        PRIMARY KEY CHECK (submission_id <> ''),
                office        bigint      NOT NULL REFERENCES rectify_offices (id),
                task          text        NOT NULL REFERENCES rectify_tasks (id),
                period        text        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
                progress      integer     NOT NULL CHECK (progress BETWEEN 0 AND 100),
                status        text        NOT NULL CHECK (status IN ('not_started', 'in_progress', 'pending_acceptance',
                                                                     'accepted', 'closed')),
                summary       text        NOT NULL DEFAULT '',
                evidence      jsonb       NOT NULL DEFAULT '[]',
                submitted_at  timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX rectify_progress_submissions_period_office ON rectify_progress_submissions (period, office);
            CREATE INDEX rectify_progress_submissions_task ON rectify_progress_submissions (task, period);
            """),
        Migration(version: 4, name: "no round index on petitions", sql: """
            -- Reports only aggregate petitions over whole scans, and rounds are never deleted, so
            -- this index served no query; keeping it cost about 2 s per million petitions imported.
            DROP INDEX rectify_petitions_round;
            """),
        Migration(version: 5, name: "the scope rule", sql: """
            -- Which regions' offices have a unit, and so its tasks and the notices naming it, in
            -- scope: an office sees its own region and the regions below (levels are province,
            -- city, county), so a unit is in scope of its region, that region's parent and the
            -- parent's parent. The one statement of the rule: submissions, task lists, a task's
            -- page, the inbox and the reports' reminders all read it from here.
            CREATE VIEW rectify_unit_scope AS
                SELECT u.id AS unit, s.region
                FROM rectify_units u
                JOIN rectify_regions r ON r.code = u.region
                LEFT JOIN rectify_regions p ON p.code = r.parent
                CROSS JOIN LATERAL (VALUES (r.code), (r.parent), (p.parent)) AS s (region)
                WHERE s.region IS NOT NULL;
            """),
    ])
}
