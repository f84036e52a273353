using Microsoft.Data.Sqlite;
using RdLicensing.Domain;

namespace RdLicensing.Storage.Sqlite;

/// <summary>One open SQLite transaction seen as an <see cref="ILicenseSession"/>.</summary>
internal sealed class SqliteLicenseSession : ILicenseSession
{
    private const string ActiveStatuses = "('temporary', 'permanent')";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommandCache? _commands;

    /// <param name="commands">The writer connection's prepared statements; null for a one-off (read) connection.</param>
    public SqliteLicenseSession(SqliteConnection connection, SqliteTransaction transaction, SqliteCommandCache? commands)
    {
        _connection = connection;
        _transaction = transaction;
        _commands = commands;
    }

    public LicenseServer? FindServer() =>
        Query($"SELECT {LedgerRows.ServerColumns} FROM server WHERE id = 1;", null, LedgerRows.Server).FirstOrDefault();

    public void SaveServer(LicenseServer server) =>
        Execute(
            LedgerRows.SaveServerSql,
            p =>
            {
                foreach ((string name, string? value) in LedgerRows.ServerTexts(server))
                {
                    p.AddWithValue("@" + name, SqliteText.OrNull(value));
                }

                p.AddWithValue("@prevent", server.PreventLicenseUpgrade ? 1 : 0);
            });

    public IReadOnlyList<KeyPack> KeyPacks() =>
        Query($"SELECT {LedgerRows.KeyPackColumns} FROM key_packs ORDER BY installed_on, key_pack_id;", null, LedgerRows.KeyPack);

    public KeyPack? FindKeyPack(string keyPackId) =>
        Query($"SELECT {LedgerRows.KeyPackColumns} FROM key_packs WHERE key_pack_id = @id;", p => p.AddWithValue("@id", keyPackId), LedgerRows.KeyPack).FirstOrDefault();

    public long NextKeyPackNumber()
    {
        Execute("UPDATE counters SET value = value + 1 WHERE name = 'key_pack';", null);
        return Query("SELECT value FROM counters WHERE name = 'key_pack';", null, r => r.GetInt64(0)).Single();
    }

    public void AddKeyPack(KeyPack keyPack) =>
        Execute(
            $"INSERT INTO key_packs ({LedgerRows.KeyPackColumns}) VALUES (@id, @program, @code, @version, @type, @total, @issued, @installed_on, @expires_on);",
            p =>
            {
                p.AddWithValue("@id", keyPack.KeyPackId);
                p.AddWithValue("@program", WireNames.Of(keyPack.Program));
                p.AddWithValue("@code", keyPack.Code.Value);
                p.AddWithValue("@version", keyPack.Version.Key);
                p.AddWithValue("@type", WireNames.Of(keyPack.Type));
                p.AddWithValue("@total", keyPack.Total);
                p.AddWithValue("@issued", keyPack.Issued);
                p.AddWithValue("@installed_on", SqliteText.Time(keyPack.InstalledOn));
                p.AddWithValue("@expires_on", SqliteText.TimeOrNull(keyPack.ExpiresOn));
            });

    public void UpdateKeyPack(KeyPack keyPack)
    {
        int rows = Execute(
            "UPDATE key_packs SET issued = @issued WHERE key_pack_id = @id;",
            p =>
            {
                p.AddWithValue("@id", keyPack.KeyPackId);
                p.AddWithValue("@issued", keyPack.Issued);
            });
        if (rows != 1)
        {
            throw new InvalidOperationException($"key pack {keyPack.KeyPackId} is not in the store");
        }
    }

    public void RemoveKeyPack(string keyPackId) =>
        Execute("DELETE FROM key_packs WHERE key_pack_id = @id;", p => p.AddWithValue("@id", keyPackId));

    public IssuedLicense? FindLicense(string licenseId) =>
        Query($"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE license_id = @id;", p => p.AddWithValue("@id", licenseId), LedgerRows.License).FirstOrDefault();

    public IReadOnlyList<IssuedLicense> DeviceLicenses(HardwareId hwid) =>
        Query($"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE hwid = @hwid AND cal_type = 'per-device' ORDER BY issued_on;", p => p.AddWithValue("@hwid", hwid.ToString()), LedgerRows.License);

    public IReadOnlyList<IssuedLicense> UserLicenses(string user) =>
        Query($"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE user_key = @user AND cal_type = 'per-user' ORDER BY issued_on;", p => p.AddWithValue("@user", LicenseFilter.UserKey(user)), LedgerRows.License);

    public IReadOnlyList<IssuedLicense> LicensesExpiredAt(DateTimeOffset now) =>
        Query($"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE status IN {ActiveStatuses} AND expires_on <= @now ORDER BY expires_on;", p => p.AddWithValue("@now", SqliteText.Time(now)), LedgerRows.License);

    public IReadOnlyList<IssuedLicense> RevokedLicensesCounting(ProductVersion version, DateTimeOffset now) =>
        Query(
            $"SELECT {LedgerRows.LicenseColumns} FROM licenses WHERE status = 'revoked' AND cal_type = 'per-device' AND version = @version AND expires_on > @now ORDER BY expires_on;",
            p =>
            {
                p.AddWithValue("@version", version.Key);
                p.AddWithValue("@now", SqliteText.Time(now));
            },
            LedgerRows.License);

    public void AddLicense(IssuedLicense license) =>
        Execute(
            $"INSERT INTO licenses ({LedgerRows.LicenseColumns}, user_key) VALUES (@id, @key_pack_id, @type, @status, @temporary, @version, @machine, @user, @hwid, @issued_on, @expires_on, @validated, @revoked_on, @host, @user_key);",
            p => BindLicense(p, license));

    public void UpdateLicense(IssuedLicense license)
    {
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

    public void AddEvent(LicensingEvent licensingEvent) =>
        Execute(
            "INSERT INTO events (time, event_id, source, level, message, license_id, key_pack_id, host) VALUES (@time, @event_id, @source, @level, @message, @license_id, @key_pack_id, @host);",
            p =>
            {
                p.AddWithValue("@time", SqliteText.Time(licensingEvent.Time));
                p.AddWithValue("@event_id", licensingEvent.EventId);
                p.AddWithValue("@source", licensingEvent.Source);
                p.AddWithValue("@level", WireNames.Of(licensingEvent.Level));
                p.AddWithValue("@message", licensingEvent.Message);
                p.AddWithValue("@license_id", SqliteText.OrNull(licensingEvent.LicenseId));
                p.AddWithValue("@key_pack_id", SqliteText.OrNull(licensingEvent.KeyPackId));
                p.AddWithValue("@host", SqliteText.OrNull(licensingEvent.Host));
            });

    public LicensePage QueryLicenses(LicenseQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        LicenseFilter filter = LicenseFilter.Of(query);
        void Bind(SqliteParameterCollection p)
        {
            foreach ((string name, string value) in filter.Parameters)
            {
                p.AddWithValue("@" + name, value);
            }
        }

        int total = Query($"SELECT COUNT(*) FROM licenses {filter.Where};", Bind, r => (int)r.GetInt64(0)).Single();
        IReadOnlyList<IssuedLicense> items = Query(
            $"SELECT {LedgerRows.LicenseColumns} FROM licenses {filter.Where} ORDER BY issued_on DESC, license_id LIMIT @take OFFSET @skip;",
            p =>
            {
                Bind(p);
                p.AddWithValue("@take", query.Take);
                p.AddWithValue("@skip", query.Skip);
            },
            LedgerRows.License);
        return new LicensePage(items, total);
    }

    public IReadOnlyList<StoredEvent> Events(long after, int take) =>
        Query(
            $"SELECT {LedgerRows.EventColumns} FROM events WHERE sequence > @after ORDER BY sequence LIMIT @take;",
            p =>
            {
                p.AddWithValue("@after", after);
                p.AddWithValue("@take", take);
            },
            LedgerRows.Event);

    public int CountLicensesExpiredAt(DateTimeOffset now) =>
        Query($"SELECT COUNT(*) FROM licenses WHERE status IN {ActiveStatuses} AND expires_on <= @now;", p => p.AddWithValue("@now", SqliteText.Time(now)), r => (int)r.GetInt64(0)).Single();

    public IReadOnlyList<KeyPackConsistency> CheckConsistency() =>
        Query(
            $"SELECT k.key_pack_id, k.cal_type, k.total, k.issued, (SELECT COUNT(*) FROM licenses l WHERE l.key_pack_id = k.key_pack_id AND l.status IN {ActiveStatuses}) FROM key_packs k ORDER BY k.key_pack_id;",
            null,
            r => new KeyPackConsistency(r.GetString(0), SqliteText.Enum<CalType>(r.GetString(1)), r.GetInt32(2), r.GetInt32(3), (int)r.GetInt64(4)));

    public IReadOnlyList<ApiKeyRecord> ApiKeys() =>
        Query($"SELECT {LedgerRows.ApiKeyColumns} FROM api_keys ORDER BY name;", null, LedgerRows.ApiKey);

    public ApiKeyRecord? FindApiKeyByHash(string keyHash) =>
        Query($"SELECT {LedgerRows.ApiKeyColumns} FROM api_keys WHERE key_hash = @hash;", p => p.AddWithValue("@hash", keyHash), LedgerRows.ApiKey).FirstOrDefault();

    public bool AddApiKey(ApiKeyRecord key) =>
        Execute(
            "INSERT INTO api_keys (name, role, key_hash, created_on, last_seen_on) VALUES (@name, @role, @hash, @created_on, @last_seen_on) ON CONFLICT (name) DO NOTHING;",
            p =>
            {
                p.AddWithValue("@name", key.Name);
                p.AddWithValue("@role", key.Role);
                p.AddWithValue("@hash", key.KeyHash);
                p.AddWithValue("@created_on", SqliteText.Time(key.CreatedOn));
                p.AddWithValue("@last_seen_on", SqliteText.TimeOrNull(key.LastSeenOn));
            }) == 1;

    public bool RemoveApiKey(string name) =>
        Execute("DELETE FROM api_keys WHERE name = @name;", p => p.AddWithValue("@name", name)) == 1;

    public void TouchApiKey(string name, DateTimeOffset seenOn) =>
        Execute("UPDATE api_keys SET last_seen_on = @seen WHERE name = @name;", p =>
        {
            p.AddWithValue("@name", name);
            p.AddWithValue("@seen", SqliteText.Time(seenOn));
        });

    public StoredCertificate? FindCertificate(string name) =>
        Query($"SELECT {LedgerRows.CertificateColumns} FROM certificates WHERE name = @name;", p => p.AddWithValue("@name", name), LedgerRows.Certificate).FirstOrDefault();

    public IReadOnlyList<StoredCertificate> Certificates() =>
        Query($"SELECT {LedgerRows.CertificateColumns} FROM certificates ORDER BY created_on, name;", null, LedgerRows.Certificate);

    public bool AddCertificateIfAbsent(StoredCertificate certificate) =>
        Execute(
            "INSERT INTO certificates (name, pkcs12, thumbprint, created_on) VALUES (@name, @pkcs12, @thumbprint, @created_on) ON CONFLICT (name) DO NOTHING;",
            p => BindCertificate(p, certificate)) == 1;

    public void SaveCertificate(StoredCertificate certificate) =>
        Execute(
            "INSERT INTO certificates (name, pkcs12, thumbprint, created_on) VALUES (@name, @pkcs12, @thumbprint, @created_on) ON CONFLICT (name) DO UPDATE SET pkcs12 = excluded.pkcs12, thumbprint = excluded.thumbprint, created_on = excluded.created_on;",
            p => BindCertificate(p, certificate));

    private static void BindCertificate(SqliteParameterCollection p, StoredCertificate certificate)
    {
        p.AddWithValue("@name", certificate.Name);
        p.AddWithValue("@pkcs12", certificate.Pkcs12);
        p.AddWithValue("@thumbprint", certificate.Thumbprint);
        p.AddWithValue("@created_on", SqliteText.Time(certificate.CreatedOn));
    }

    private static void BindLicense(SqliteParameterCollection p, IssuedLicense license)
    {
        p.AddWithValue("@id", license.LicenseId);
        p.AddWithValue("@key_pack_id", SqliteText.OrNull(license.KeyPackId));
        p.AddWithValue("@type", WireNames.Of(license.Type));
        p.AddWithValue("@status", WireNames.Of(license.Status));
        p.AddWithValue("@temporary", license.Temporary ? 1 : 0);
        p.AddWithValue("@version", license.Version.Key);
        p.AddWithValue("@machine", SqliteText.OrNull(license.Machine));
        p.AddWithValue("@user", SqliteText.OrNull(license.User));
        p.AddWithValue("@user_key", license.User is null ? DBNull.Value : LicenseFilter.UserKey(license.User));
        p.AddWithValue("@hwid", license.Hwid is null ? DBNull.Value : license.Hwid.ToString());
        p.AddWithValue("@issued_on", SqliteText.Time(license.IssuedOn));
        p.AddWithValue("@expires_on", SqliteText.Time(license.ExpiresOn));
        p.AddWithValue("@validated", license.Validated ? 1 : 0);
        p.AddWithValue("@revoked_on", SqliteText.TimeOrNull(license.RevokedOn));
        p.AddWithValue("@host", SqliteText.OrNull(license.IssuedToHost));
    }

    private int Execute(string sql, Action<SqliteParameterCollection>? bind)
    {
        SqliteCommand command = Command(sql);
        try
        {
            bind?.Invoke(command.Parameters);
            return command.ExecuteNonQuery();
        }
        finally
        {
            Release(command);
        }
    }

    private List<T> Query<T>(string sql, Action<SqliteParameterCollection>? bind, Func<SqliteDataReader, T> read)
    {
        SqliteCommand command = Command(sql);
        try
        {
            bind?.Invoke(command.Parameters);
            using SqliteDataReader reader = command.ExecuteReader();
            var results = new List<T>();
            while (reader.Read())
            {
                results.Add(read(reader));
            }

            return results;
        }
        finally
        {
            Release(command);
        }
    }

    private SqliteCommand Command(string sql)
    {
        if (_commands is not null)
        {
            return _commands.Get(sql, _transaction);
        }

        SqliteCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    // A cached command stays with the writer connection (prepared); a one-off command is disposed.
    private void Release(SqliteCommand command)
    {
        if (_commands is null)
        {
            command.Dispose();
        }
    }
}
