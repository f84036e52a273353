namespace RdLicensing.Storage.Sqlite;

/// <summary>
/// The schema, as an ordered list of migrations; a new column or table is a new entry, never an edit of an old one.
/// Types and statements stay close to what PostgreSQL accepts (TEXT, INTEGER, BIGINT; times as fixed-width UTC text).
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE server (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                server_id TEXT NOT NULL,
                name TEXT NOT NULL,
                version TEXT NOT NULL,
                activation_state TEXT NOT NULL,
                activation_method TEXT NULL,
                activated_on TEXT NULL,
                deactivated_on TEXT NULL,
                first_name TEXT NULL,
                last_name TEXT NULL,
                company TEXT NULL,
                country TEXT NULL,
                email TEXT NULL,
                organizational_unit TEXT NULL,
                address TEXT NULL,
                city TEXT NULL,
                state TEXT NULL,
                postal_code TEXT NULL,
                discovery_scope TEXT NOT NULL,
                prevent_license_upgrade INTEGER NOT NULL,
                certificate_thumbprint TEXT NULL
            );
            CREATE TABLE counters (
                name TEXT PRIMARY KEY,
                value BIGINT NOT NULL
            );
            INSERT INTO counters (name, value) VALUES ('key_pack', 0);
            CREATE TABLE key_packs (
                key_pack_id TEXT PRIMARY KEY,
                program TEXT NOT NULL,
                code TEXT NOT NULL,
                version TEXT NOT NULL,
                cal_type TEXT NOT NULL,
                total INTEGER NOT NULL CHECK (total > 0),
                issued INTEGER NOT NULL CHECK (issued >= 0),
                installed_on TEXT NOT NULL,
                expires_on TEXT NULL,
                CHECK (cal_type <> 'per-device' OR issued <= total)
            );
            CREATE TABLE licenses (
                license_id TEXT PRIMARY KEY,
                key_pack_id TEXT NULL,
                cal_type TEXT NOT NULL,
                status TEXT NOT NULL,
                temporary INTEGER NOT NULL,
                version TEXT NOT NULL,
                machine TEXT NULL,
                user_name TEXT NULL,
                user_key TEXT NULL,
                hwid TEXT NULL,
                issued_on TEXT NOT NULL,
                expires_on TEXT NOT NULL,
                validated INTEGER NOT NULL,
                revoked_on TEXT NULL,
                issued_to_host TEXT NULL
            );
            CREATE INDEX ix_licenses_hwid ON licenses (hwid);
            CREATE INDEX ix_licenses_user_key ON licenses (user_key);
            CREATE INDEX ix_licenses_status_expires ON licenses (status, expires_on);
            CREATE INDEX ix_licenses_key_pack ON licenses (key_pack_id, status);
            CREATE TABLE events (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                time TEXT NOT NULL,
                event_id INTEGER NOT NULL,
                source TEXT NOT NULL,
                level TEXT NOT NULL,
                message TEXT NOT NULL,
                license_id TEXT NULL,
                key_pack_id TEXT NULL,
                host TEXT NULL
            );
            CREATE TABLE api_keys (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE,
                created_on TEXT NOT NULL,
                last_seen_on TEXT NULL
            );
            CREATE TABLE certificates (
                name TEXT PRIMARY KEY,
                pkcs12 BLOB NOT NULL,
                thumbprint TEXT NOT NULL,
                created_on TEXT NOT NULL
            );
            """),
    ];
}
