namespace RdLicensing.Storage.Migration;

/// <summary>How a column's values are carried between stores (SQLite keeps integers for flags; PostgreSQL, booleans).</summary>
internal enum ColumnKind
{
    Text = 1,
    Int32 = 2,
    Int64 = 3,
    Boolean = 4,
    Bytes = 5,
}

/// <summary>One column of a store table.</summary>
internal sealed record ColumnSpec(string Name, ColumnKind Kind);

/// <summary>One table of the schema both stores share, with the column that orders its rows (its primary key).</summary>
internal sealed record TableSpec(string Name, string Key, IReadOnlyList<ColumnSpec> Columns)
{
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));

    public int KeyOrdinal => Columns.Select((c, i) => (c, i)).Single(x => x.c.Name == Key).i;
}

/// <summary>
/// The tables a migration copies, in copy order, column for column as SqliteMigrations / PostgresMigrations define them
/// (schema version 1). schema_migrations is not copied: each store keeps its own.
/// </summary>
internal static class StoreTables
{
    public static IReadOnlyList<TableSpec> All { get; } =
    [
        new("server", "id",
        [
            new("id", ColumnKind.Int32), T("server_id"), T("name"), T("version"), T("activation_state"), T("activation_method"),
            T("activated_on"), T("deactivated_on"), T("first_name"), T("last_name"), T("company"), T("country"), T("email"),
            T("organizational_unit"), T("address"), T("city"), T("state"), T("postal_code"), T("discovery_scope"),
            new("prevent_license_upgrade", ColumnKind.Boolean), T("certificate_thumbprint"),
        ]),
        new("counters", "name", [T("name"), new("value", ColumnKind.Int64)]),
        new("key_packs", "key_pack_id",
        [
            T("key_pack_id"), T("program"), T("code"), T("version"), T("cal_type"), new("total", ColumnKind.Int32),
            new("issued", ColumnKind.Int32), T("installed_on"), T("expires_on"),
        ]),
        new("licenses", "license_id",
        [
            T("license_id"), T("key_pack_id"), T("cal_type"), T("status"), new("temporary", ColumnKind.Boolean), T("version"),
            T("machine"), T("user_name"), T("user_key"), T("hwid"), T("issued_on"), T("expires_on"),
            new("validated", ColumnKind.Boolean), T("revoked_on"), T("issued_to_host"),
        ]),
        new("events", "sequence",
        [
            new("sequence", ColumnKind.Int64), T("time"), new("event_id", ColumnKind.Int32), T("source"), T("level"), T("message"),
            T("license_id"), T("key_pack_id"), T("host"),
        ]),
        new("api_keys", "name", [T("name"), T("role"), T("key_hash"), T("created_on"), T("last_seen_on")]),
        new("certificates", "name", [T("name"), new("pkcs12", ColumnKind.Bytes), T("thumbprint"), T("created_on")]),
    ];

    /// <summary>The tables that hold nothing in a freshly initialized store (counters holds its seed row).</summary>
    public static IEnumerable<TableSpec> DataTables => All.Where(t => t.Name != "counters");

    /// <summary>A provider value as the migration carries it: string, int, long, bool, byte[] or null.</summary>
    public static object? Normalize(ColumnSpec column, object? value) => value is null or DBNull
        ? null
        : column.Kind switch
        {
            ColumnKind.Text => (string)value,
            ColumnKind.Int32 => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            ColumnKind.Int64 => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            ColumnKind.Boolean => value is bool b ? b : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0,
            ColumnKind.Bytes => (byte[])value,
            _ => throw new InvalidOperationException($"unknown column kind {column.Kind}"),
        };

    /// <summary>Whether two normalized values are equal (byte arrays by content).</summary>
    public static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (null, _) or (_, null) => false,
        _ => a.Equals(b),
    };

    private static ColumnSpec T(string name) => new(name, ColumnKind.Text);
}
