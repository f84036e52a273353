using System.Data.Common;
using RdLicensing.Domain;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage;

/// <summary>
/// The rows both stores keep, read back into domain objects: the column lists the SELECTs name and one reader per row
/// kind, over <see cref="DbDataReader"/> so SQLite and PostgreSQL (and rows a session kept) share them. Values are spelled
/// as <see cref="SqliteText"/> writes them; flags are read with GetBoolean (SQLite's 0/1 integers, PostgreSQL's boolean).
/// </summary>
internal static class LedgerRows
{
    public const string ServerColumns =
        "server_id, name, version, activation_state, activation_method, activated_on, deactivated_on, first_name, last_name, company, country, email, organizational_unit, address, city, state, postal_code, discovery_scope, prevent_license_upgrade, certificate_thumbprint";

    public const string LicenseColumns =
        "license_id, key_pack_id, cal_type, status, temporary, version, machine, user_name, hwid, issued_on, expires_on, validated, revoked_on, issued_to_host";

    public const string KeyPackColumns = "key_pack_id, program, code, version, cal_type, total, issued, installed_on, expires_on";

    public const string EventColumns = "sequence, time, event_id, source, level, message, license_id, key_pack_id, host";

    public const string ApiKeyColumns = "name, role, key_hash, created_on, last_seen_on";

    public const string CertificateColumns = "name, pkcs12, thumbprint, created_on";

    /// <summary>
    /// Writes the one server row (id 1), inserted or replaced: the parameters <see cref="ServerTexts"/> names, and
    /// <c>@prevent</c> (a flag: SQLite 0/1, PostgreSQL boolean).
    /// </summary>
    public const string SaveServerSql =
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
        """;

    /// <summary>The text parameters of <see cref="SaveServerSql"/> (names without '@'), null for SQL NULL.</summary>
    public static (string Name, string? Value)[] ServerTexts(LicenseServer server)
    {
        Contact? c = server.Contact;
        return
        [
            ("server_id", server.ServerId.Value),
            ("name", server.Name),
            ("version", server.Version.Key),
            ("state", WireNames.Of(server.ActivationState)),
            ("method", server.ActivationMethod is { } m ? WireNames.Of(m) : null),
            ("activated_on", server.ActivatedOn is { } activated ? SqliteText.Time(activated) : null),
            ("deactivated_on", server.DeactivatedOn is { } deactivated ? SqliteText.Time(deactivated) : null),
            ("first_name", c?.FirstName),
            ("last_name", c?.LastName),
            ("company", c?.Company),
            ("country", c?.Country),
            ("email", c?.Email),
            ("ou", c?.OrganizationalUnit),
            ("address", c?.Address),
            ("city", c?.City),
            ("st", c?.State),
            ("postal_code", c?.PostalCode),
            ("scope", WireNames.Of(server.DiscoveryScope)),
            ("thumbprint", server.CertificateThumbprint),
        ];
    }

    /// <summary>A row of <see cref="ServerColumns"/>.</summary>
    public static LicenseServer Server(DbDataReader r)
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
    }

    /// <summary>A row of <see cref="KeyPackColumns"/>.</summary>
    public static KeyPack KeyPack(DbDataReader r)
    {
        LicenseProgram program = SqliteText.Enum<LicenseProgram>(r.GetString(1));
        return Domain.KeyPack.Restore(
            r.GetString(0),
            KeyPackCode.Parse(program, r.GetString(2)),
            ProductVersions.Parse(r.GetString(3)),
            SqliteText.Enum<CalType>(r.GetString(4)),
            r.GetInt32(5),
            r.GetInt32(6),
            SqliteText.ParseTime(r.GetString(7)),
            Time(r, 8));
    }

    /// <summary>A row of <see cref="LicenseColumns"/>.</summary>
    public static IssuedLicense License(DbDataReader r) =>
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

    /// <summary>A row of <see cref="EventColumns"/>.</summary>
    public static StoredEvent Event(DbDataReader r) =>
        new(
            r.GetInt64(0),
            new LicensingEvent(SqliteText.ParseTime(r.GetString(1)), r.GetInt32(2), r.GetString(3), SqliteText.Enum<EventLevel>(r.GetString(4)), r.GetString(5), Str(r, 6), Str(r, 7), Str(r, 8)));

    /// <summary>A row of <see cref="ApiKeyColumns"/>.</summary>
    public static ApiKeyRecord ApiKey(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), SqliteText.ParseTime(r.GetString(3)), Time(r, 4));

    /// <summary>A row of <see cref="CertificateColumns"/>.</summary>
    public static StoredCertificate Certificate(DbDataReader r) =>
        new(r.GetString(0), r.GetFieldValue<byte[]>(1), r.GetString(2), SqliteText.ParseTime(r.GetString(3)));

    private static string? Str(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static DateTimeOffset? Time(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : SqliteText.ParseTime(r.GetString(ordinal));
}
