using Npgsql;
using NpgsqlTypes;
using RdLicensing.Domain;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage.Postgres;

/// <summary>
/// One open PostgreSQL transaction seen as an <see cref="ILicenseSession"/>. Plain SQL over Npgsql (no ORM on the
/// issuance path); values are spelled as in the SQLite store (<see cref="SqliteText"/>) so both stores hold equal rows.
/// Calls are synchronous, as the ledger contract requires: the store does the awaiting around the unit of work.
/// </summary>
internal sealed class PostgresLicenseSession : ILicenseSession
{
    private const string LicenseColumns =
        "license_id, key_pack_id, cal_type, status, temporary, version, machine, user_name, hwid, issued_on, expires_on, validated, revoked_on, issued_to_host";

    private const string KeyPackColumns = "key_pack_id, program, code, version, cal_type, total, issued, installed_on, expires_on";

    private const string ActiveStatuses = "('temporary', 'permanent')";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    public PostgresLicenseSession(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public LicenseServer? FindServer() =>
        Query("SELECT server_id, name, version, activation_state, activation_method, activated_on, deactivated_on, first_name, last_name, company, country, email, organizational_unit, address, city, state, postal_code, discovery_scope, prevent_license_upgrade, certificate_thumbprint FROM server WHERE id = 1;", null, r =>
        {
            Contact? contact = r.IsDBNull(7)
                ? null
                : Contact.Create(r.GetString(7), r.GetString(8), r.GetString(9), r.GetString(10), Str(r, 11), Str(r, 12), Str(r, 13), Str(r, 14), Str(r, 15), Str(r, 16));
            return LicenseServer.Restore(
                LicenseServerId.Parse(r.GetString(0)),
                r.GetString(1),
                ProductVersions.Parse(r.GetString(2)),
                SqliteText.Enum<ActivationState>(r.GetString(3)),
                r.IsDBNull(4) ? null : SqliteText.Enum<ActivationMethod>(r.GetString(4)),
                Time(r, 5),
                Time(r, 6),
                contact,
                SqliteText.Enum<DiscoveryScope>(r.GetString(17)),
                r.GetBoolean(18),
                Str(r, 19));
        }).FirstOrDefault();

    public void SaveServer(LicenseServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Contact? c = server.Contact;
        Execute(
            """
            INSERT INTO server (id, server_id, name, version, activation_state, activation_method, activated_on, deactivated_on,
                first_name, last_name, company, country, email, organizational_unit, address, city, state, postal_code,
                discovery_scope, prevent_license_upgrade, certificate_thumbprint)
            VALUES (1, @server_id, @name, @version, @state, @method, @activated_on, @deactivated_on,
                @first_name, @last_name, @company, @country, @email, @ou, @address, @city, @st, @postal_code,
                @scope, @prevent, @thumbprint)
            ON CONFLICT (id) DO UPDATE SET server_id = excluded.server_id, name = excluded.name, version = excluded.version,
                activation_state = excluded.activation_state, activation_method = excluded.activation_method,
                activated_on = excluded.activated_on, deactivated_on = excluded.deactivated_on,
                first_name = excluded.first_name, last_name = excluded.last_name, company = excluded.company,
                country = excluded.country, email = excluded.email, organizational_unit = excluded.organizational_unit,
                address = excluded.address, city = excluded.city, state = excluded.state, postal_code = excluded.postal_code,
                discovery_scope = excluded.discovery_scope, prevent_license_upgrade = excluded.prevent_license_upgrade,
                certificate_thumbprint = excluded.certificate_thumbprint;
            """,
            p =>
            {
                Text(p, "server_id", server.ServerId.Value);
                Text(p, "name", server.Name);
                Text(p, "version", server.Version.Key);
                Text(p, "state", WireNames.Of(server.ActivationState));
                Text(p, "method", server.ActivationMethod is { } m ? WireNames.Of(m) : null);
                Text(p, "activated_on", TimeText(server.ActivatedOn));
                Text(p, "deactivated_on", TimeText(server.DeactivatedOn));
                Text(p, "first_name", c?.FirstName);
                Text(p, "last_name", c?.LastName);
                Text(p, "company", c?.Company);
                Text(p, "country", c?.Country);
                Text(p, "email", c?.Email);
                Text(p, "ou", c?.OrganizationalUnit);
                Text(p, "address", c?.Address);
                Text(p, "city", c?.City);
                Text(p, "st", c?.State);
                Text(p, "postal_code", c?.PostalCode);
                Text(p, "scope", WireNames.Of(server.DiscoveryScope));
                Bool(p, "prevent", server.PreventLicenseUpgrade);
                Text(p, "thumbprint", server.CertificateThumbprint);
            });
    }

    public IReadOnlyList<KeyPack> KeyPacks() =>
        Query($"SELECT {KeyPackColumns} FROM key_packs ORDER BY installed_on, key_pack_id;", null, ReadKeyPack);

    public KeyPack? FindKeyPack(string keyPackId) =>
        Query($"SELECT {KeyPackColumns} FROM key_packs WHERE key_pack_id = @id;", p => Text(p, "id", keyPackId), ReadKeyPack).FirstOrDefault();

    public long NextKeyPackNumber() =>
        Query("UPDATE counters SET value = value + 1 WHERE name = 'key_pack' RETURNING value;", null, r => r.GetInt64(0)).Single();

    public void AddKeyPack(KeyPack keyPack)
    {
        ArgumentNullException.ThrowIfNull(keyPack);
        Execute(
            $"INSERT INTO key_packs ({KeyPackColumns}) VALUES (@id, @program, @code, @version, @type, @total, @issued, @installed_on, @expires_on);",
            p =>
            {
                Text(p, "id", keyPack.KeyPackId);
                Text(p, "program", WireNames.Of(keyPack.Program));
                Text(p, "code", keyPack.Code.Value);
                Text(p, "version", keyPack.Version.Key);
                Text(p, "type", WireNames.Of(keyPack.Type));
                Int(p, "total", keyPack.Total);
                Int(p, "issued", keyPack.Issued);
                Text(p, "installed_on", SqliteText.Time(keyPack.InstalledOn));
                Text(p, "expires_on", TimeText(keyPack.ExpiresOn));
            });
    }

    public void UpdateKeyPack(KeyPack keyPack)
    {
        ArgumentNullException.ThrowIfNull(keyPack);
        int rows = Execute(
            "UPDATE key_packs SET issued = @issued WHERE key_pack_id = @id;",
            p =>
            {
                Text(p, "id", keyPack.KeyPackId);
                Int(p, "issued", keyPack.Issued);
            });
        if (rows != 1)
        {
            throw new InvalidOperationException($"key pack {keyPack.KeyPackId} is not in the store");
        }
    }

    public void RemoveKeyPack(string keyPackId) =>
        Execute("DELETE FROM key_packs WHERE key_pack_id = @id;", p => Text(p, "id", keyPackId));

    public IssuedLicense? FindLicense(string licenseId) =>
        Query($"SELECT {LicenseColumns} FROM licenses WHERE license_id = @id;", p => Text(p, "id", licenseId), ReadLicense).FirstOrDefault();

    public IReadOnlyList<IssuedLicense> DeviceLicenses(HardwareId hwid)
    {
        ArgumentNullException.ThrowIfNull(hwid);
        return Query($"SELECT {LicenseColumns} FROM licenses WHERE hwid = @hwid AND cal_type = 'per-device' ORDER BY issued_on;", p => Text(p, "hwid", hwid.ToString()), ReadLicense);
    }

    public IReadOnlyList<IssuedLicense> UserLicenses(string user) =>
        Query($"SELECT {LicenseColumns} FROM licenses WHERE user_key = @user AND cal_type = 'per-user' ORDER BY issued_on;", p => Text(p, "user", UserKey(user)), ReadLicense);

    public IReadOnlyList<IssuedLicense> LicensesExpiredAt(DateTimeOffset now) =>
        Query($"SELECT {LicenseColumns} FROM licenses WHERE status IN {ActiveStatuses} AND expires_on <= @now ORDER BY expires_on;", p => Text(p, "now", SqliteText.Time(now)), ReadLicense);

    public IReadOnlyList<IssuedLicense> RevokedLicensesCounting(ProductVersion version, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Query(
            $"SELECT {LicenseColumns} FROM licenses WHERE status = 'revoked' AND cal_type = 'per-device' AND version = @version AND expires_on > @now ORDER BY expires_on;",
            p =>
            {
                Text(p, "version", version.Key);
                Text(p, "now", SqliteText.Time(now));
            },
            ReadLicense);
    }

    public void AddLicense(IssuedLicense license) =>
        Execute(
            $"INSERT INTO licenses ({LicenseColumns}, user_key) VALUES (@id, @key_pack_id, @type, @status, @temporary, @version, @machine, @user, @hwid, @issued_on, @expires_on, @validated, @revoked_on, @host, @user_key);",
            p => BindLicense(p, license));

    public void UpdateLicense(IssuedLicense license)
    {
        ArgumentNullException.ThrowIfNull(license);
        int rows = Execute(
            """
            UPDATE licenses SET key_pack_id = @key_pack_id, cal_type = @type, status = @status, temporary = @temporary,
                version = @version, machine = @machine, user_name = @user, hwid = @hwid, issued_on = @issued_on,
                expires_on = @expires_on, validated = @validated, revoked_on = @revoked_on, issued_to_host = @host, user_key = @user_key
            WHERE license_id = @id;
            """,
            p => BindLicense(p, license));
        if (rows != 1)
        {
            throw new InvalidOperationException($"license {license.LicenseId} is not in the store");
        }
    }

    public void AddEvent(LicensingEvent licensingEvent)
    {
        ArgumentNullException.ThrowIfNull(licensingEvent);
        Execute(
            "INSERT INTO events (time, event_id, source, level, message, license_id, key_pack_id, host) VALUES (@time, @event_id, @source, @level, @message, @license_id, @key_pack_id, @host);",
            p =>
            {
                Text(p, "time", SqliteText.Time(licensingEvent.Time));
                Int(p, "event_id", licensingEvent.EventId);
                Text(p, "source", licensingEvent.Source);
                Text(p, "level", WireNames.Of(licensingEvent.Level));
                Text(p, "message", licensingEvent.Message);
                Text(p, "license_id", licensingEvent.LicenseId);
                Text(p, "key_pack_id", licensingEvent.KeyPackId);
                Text(p, "host", licensingEvent.Host);
            });
    }

    public LicensePage QueryLicenses(LicenseQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        var bindings = new List<(string Name, string Value)>();
        void Add(string clause, string name, string value)
        {
            where.Add(clause);
            bindings.Add((name, value));
        }

        if (query.Status is { } status)
        {
            Add("status = @status", "status", WireNames.Of(status));
        }

        if (query.Type is { } type)
        {
            Add("cal_type = @type", "type", WireNames.Of(type));
        }

        if (query.Version is { } version)
        {
            Add("version = @version", "version", version.Key);
        }

        if (query.Machine is { } machine)
        {
            Add("lower(machine) = lower(@machine)", "machine", machine);
        }

        if (query.User is { } user)
        {
            Add("user_key = @user", "user", UserKey(user));
        }

        if (query.Hwid is { } hwid)
        {
            Add("hwid = @hwid", "hwid", hwid.ToString());
        }

        if (query.KeyPackId is { } keyPackId)
        {
            Add("key_pack_id = @key_pack_id", "key_pack_id", keyPackId);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // ESCAPE '': a backslash is an ordinary character, as in SQLite's LIKE.
            Add(
                "(lower(license_id) LIKE @search ESCAPE '' OR lower(machine) LIKE @search ESCAPE '' OR user_key LIKE @search ESCAPE '' OR lower(hwid) LIKE @search ESCAPE '')",
                "search",
                "%" + query.Search.Trim().ToLowerInvariant().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%");
        }

        string filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        void Bind(NpgsqlParameterCollection p)
        {
            foreach ((string name, string value) in bindings)
            {
                Text(p, name, value);
            }
        }

        int total = Query($"SELECT COUNT(*) FROM licenses {filter};", Bind, r => (int)r.GetInt64(0)).Single();
        IReadOnlyList<IssuedLicense> items = Query(
            $"SELECT {LicenseColumns} FROM licenses {filter} ORDER BY issued_on DESC, license_id LIMIT @take OFFSET @skip;",
            p =>
            {
                Bind(p);
                Int(p, "take", query.Take);
                Int(p, "skip", query.Skip);
            },
            ReadLicense);
        return new LicensePage(items, total);
    }

    public IReadOnlyList<StoredEvent> Events(long after, int take) =>
        Query(
            "SELECT sequence, time, event_id, source, level, message, license_id, key_pack_id, host FROM events WHERE sequence > @after ORDER BY sequence LIMIT @take;",
            p =>
            {
                p.Add(new NpgsqlParameter<long>("after", NpgsqlDbType.Bigint) { TypedValue = after });
                Int(p, "take", take);
            },
            r => new StoredEvent(
                r.GetInt64(0),
                new LicensingEvent(SqliteText.ParseTime(r.GetString(1)), r.GetInt32(2), r.GetString(3), SqliteText.Enum<EventLevel>(r.GetString(4)), r.GetString(5), Str(r, 6), Str(r, 7), Str(r, 8))));

    public int CountLicensesExpiredAt(DateTimeOffset now) =>
        Query($"SELECT COUNT(*) FROM licenses WHERE status IN {ActiveStatuses} AND expires_on <= @now;", p => Text(p, "now", SqliteText.Time(now)), r => (int)r.GetInt64(0)).Single();

    public IReadOnlyList<KeyPackConsistency> CheckConsistency() =>
        Query(
            $"SELECT k.key_pack_id, k.cal_type, k.total, k.issued, (SELECT COUNT(*) FROM licenses l WHERE l.key_pack_id = k.key_pack_id AND l.status IN {ActiveStatuses}) FROM key_packs k ORDER BY k.key_pack_id;",
            null,
            r => new KeyPackConsistency(r.GetString(0), SqliteText.Enum<CalType>(r.GetString(1)), r.GetInt32(2), r.GetInt32(3), (int)r.GetInt64(4)));

    public IReadOnlyList<ApiKeyRecord> ApiKeys() =>
        Query("SELECT name, role, key_hash, created_on, last_seen_on FROM api_keys ORDER BY name;", null, ReadApiKey);

    public ApiKeyRecord? FindApiKeyByHash(string keyHash) =>
        Query("SELECT name, role, key_hash, created_on, last_seen_on FROM api_keys WHERE key_hash = @hash;", p => Text(p, "hash", keyHash), ReadApiKey).FirstOrDefault();

    public bool AddApiKey(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Execute(
            "INSERT INTO api_keys (name, role, key_hash, created_on, last_seen_on) VALUES (@name, @role, @hash, @created_on, @last_seen_on) ON CONFLICT (name) DO NOTHING;",
            p =>
            {
                Text(p, "name", key.Name);
                Text(p, "role", key.Role);
                Text(p, "hash", key.KeyHash);
                Text(p, "created_on", SqliteText.Time(key.CreatedOn));
                Text(p, "last_seen_on", TimeText(key.LastSeenOn));
            }) == 1;
    }

    public bool RemoveApiKey(string name) =>
        Execute("DELETE FROM api_keys WHERE name = @name;", p => Text(p, "name", name)) == 1;

    public void TouchApiKey(string name, DateTimeOffset seenOn) =>
        Execute("UPDATE api_keys SET last_seen_on = @seen WHERE name = @name;", p =>
        {
            Text(p, "name", name);
            Text(p, "seen", SqliteText.Time(seenOn));
        });

    public StoredCertificate? FindCertificate(string name) =>
        Query("SELECT name, pkcs12, thumbprint, created_on FROM certificates WHERE name = @name;", p => Text(p, "name", name), ReadCertificate).FirstOrDefault();

    public IReadOnlyList<StoredCertificate> Certificates() =>
        Query("SELECT name, pkcs12, thumbprint, created_on FROM certificates ORDER BY created_on, name;", null, ReadCertificate);

    public bool AddCertificateIfAbsent(StoredCertificate certificate) =>
        Execute(
            "INSERT INTO certificates (name, pkcs12, thumbprint, created_on) VALUES (@name, @pkcs12, @thumbprint, @created_on) ON CONFLICT (name) DO NOTHING;",
            p => BindCertificate(p, certificate)) == 1;

    public void SaveCertificate(StoredCertificate certificate) =>
        Execute(
            "INSERT INTO certificates (name, pkcs12, thumbprint, created_on) VALUES (@name, @pkcs12, @thumbprint, @created_on) ON CONFLICT (name) DO UPDATE SET pkcs12 = excluded.pkcs12, thumbprint = excluded.thumbprint, created_on = excluded.created_on;",
            p => BindCertificate(p, certificate));

    private static string UserKey(string user) => user.Trim().ToLowerInvariant();

    private static string? TimeText(DateTimeOffset? time) => time is { } t ? SqliteText.Time(t) : null;

    private static void Text(NpgsqlParameterCollection p, string name, string? value) =>
        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value is null ? DBNull.Value : value });

    private static void Int(NpgsqlParameterCollection p, string name, int value) =>
        p.Add(new NpgsqlParameter<int>(name, NpgsqlDbType.Integer) { TypedValue = value });

    private static void Bool(NpgsqlParameterCollection p, string name, bool value) =>
        p.Add(new NpgsqlParameter<bool>(name, NpgsqlDbType.Boolean) { TypedValue = value });

    private static void BindCertificate(NpgsqlParameterCollection p, StoredCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Text(p, "name", certificate.Name);
        p.Add(new NpgsqlParameter<byte[]>("pkcs12", NpgsqlDbType.Bytea) { TypedValue = certificate.Pkcs12 });
        Text(p, "thumbprint", certificate.Thumbprint);
        Text(p, "created_on", SqliteText.Time(certificate.CreatedOn));
    }

    private static void BindLicense(NpgsqlParameterCollection p, IssuedLicense license)
    {
        ArgumentNullException.ThrowIfNull(license);
        Text(p, "id", license.LicenseId);
        Text(p, "key_pack_id", license.KeyPackId);
        Text(p, "type", WireNames.Of(license.Type));
        Text(p, "status", WireNames.Of(license.Status));
        Bool(p, "temporary", license.Temporary);
        Text(p, "version", license.Version.Key);
        Text(p, "machine", license.Machine);
        Text(p, "user", license.User);
        Text(p, "user_key", license.User is null ? null : UserKey(license.User));
        Text(p, "hwid", license.Hwid?.ToString());
        Text(p, "issued_on", SqliteText.Time(license.IssuedOn));
        Text(p, "expires_on", SqliteText.Time(license.ExpiresOn));
        Bool(p, "validated", license.Validated);
        Text(p, "revoked_on", TimeText(license.RevokedOn));
        Text(p, "host", license.IssuedToHost);
    }

    private static KeyPack ReadKeyPack(NpgsqlDataReader r)
    {
        LicenseProgram program = SqliteText.Enum<LicenseProgram>(r.GetString(1));
        return KeyPack.Restore(
            r.GetString(0),
            KeyPackCode.Parse(program, r.GetString(2)),
            ProductVersions.Parse(r.GetString(3)),
            SqliteText.Enum<CalType>(r.GetString(4)),
            r.GetInt32(5),
            r.GetInt32(6),
            SqliteText.ParseTime(r.GetString(7)),
            Time(r, 8));
    }

    private static IssuedLicense ReadLicense(NpgsqlDataReader r) =>
        IssuedLicense.Restore(
            r.GetString(0),
            Str(r, 1),
            SqliteText.Enum<CalType>(r.GetString(2)),
            SqliteText.Enum<LicenseStatus>(r.GetString(3)),
            r.GetBoolean(4),
            ProductVersions.Parse(r.GetString(5)),
            Str(r, 6),
            Str(r, 7),
            r.IsDBNull(8) ? null : HardwareId.Parse(r.GetString(8)),
            SqliteText.ParseTime(r.GetString(9)),
            SqliteText.ParseTime(r.GetString(10)),
            r.GetBoolean(11),
            Time(r, 12),
            Str(r, 13));

    private static ApiKeyRecord ReadApiKey(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), SqliteText.ParseTime(r.GetString(3)), Time(r, 4));

    private static StoredCertificate ReadCertificate(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetFieldValue<byte[]>(1), r.GetString(2), SqliteText.ParseTime(r.GetString(3)));

    private static string? Str(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static DateTimeOffset? Time(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : SqliteText.ParseTime(r.GetString(ordinal));

    private int Execute(string sql, Action<NpgsqlParameterCollection>? bind)
    {
        using var command = new NpgsqlCommand(sql, _connection, _transaction);
        bind?.Invoke(command.Parameters);
        return command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Action<NpgsqlParameterCollection>? bind, Func<NpgsqlDataReader, T> read)
    {
        using var command = new NpgsqlCommand(sql, _connection, _transaction);
        bind?.Invoke(command.Parameters);
        using NpgsqlDataReader reader = command.ExecuteReader();
        var results = new List<T>();
        while (reader.Read())
        {
            results.Add(read(reader));
        }

        return results;
    }
}
