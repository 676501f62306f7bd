public import RectifyPostgres

/// The people who work on the desk, their sessions and their sign-in attempts (component
/// `accounts`). An office's API tokens stand for its systems and live with the office; its
/// people live here.
public enum AccountMigrations {
    /// The migrator for the accounts schema.
    public static let migrator = Migrator(component: "accounts", follows: ["ledger", "progress"], migrations: [
        Migration(version: 1, name: "people, sessions, sign-in attempts", sql: """
            -- A person of an office. The password is kept only as a bcrypt hash; NULL until the
            -- person sets one through their one-time link.
            CREATE TABLE rectify_people (
                id            bigserial   PRIMARY KEY,
                office        bigint      NOT NULL REFERENCES rectify_offices (id),
                name          text        NOT NULL CHECK (name <> ''),
                login         text        NOT NULL CHECK (login <> ''),
                password_hash text,
                created_at    timestamptz NOT NULL DEFAULT now(),
                disabled_at   timestamptz
            );
            CREATE UNIQUE INDEX rectify_people_login ON rectify_people (lower(login));

            -- One-time links to set a password: only the SHA-256 of the link's secret is kept.
            CREATE TABLE rectify_password_links (
                secret_hash bytea       PRIMARY KEY,
                person      bigint      NOT NULL REFERENCES rectify_people (id),
                expires_at  timestamptz NOT NULL,
                used_at     timestamptz
            );

            -- Sessions on the desk: only the SHA-256 of the cookie's id is kept.
            CREATE TABLE rectify_sessions (
                id_hash      bytea       PRIMARY KEY,
                person       bigint      NOT NULL REFERENCES rectify_people (id),
                csrf         text        NOT NULL,
                created_at   timestamptz NOT NULL DEFAULT now(),
                last_seen_at timestamptz NOT NULL DEFAULT now(),
                ended_at     timestamptz
            );
            CREATE INDEX rectify_sessions_person ON rectify_sessions (person) WHERE ended_at IS NULL;

            -- Every sign-in attempt, for throttling and for the record.
            CREATE TABLE rectify_sign_in_attempts (
                id        bigserial   PRIMARY KEY,
                at        timestamptz NOT NULL DEFAULT now(),
                login     text        NOT NULL,
                person    bigint      REFERENCES rectify_people (id),
                address   text        NOT NULL,
                succeeded boolean     NOT NULL
            );
            CREATE INDEX rectify_sign_in_attempts_person ON rectify_sign_in_attempts (person, at) WHERE person IS NOT NULL;
            CREATE INDEX rectify_sign_in_attempts_address ON rectify_sign_in_attempts (address, at);
            """),
        Migration(version: 2, name: "attempts refused by the throttle", sql: """
            -- An attempt refused because the account or the address was locked is recorded, but
            -- does not count towards the lock, which would otherwise never open under attack.
            ALTER TABLE rectify_sign_in_attempts ADD COLUMN throttled boolean NOT NULL DEFAULT false;
            """),
    ])
}
