using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage;

/// <summary>Opens a store by kind name, as `rdlic serve --store` spells it.</summary>
public static class LicenseStores
{
    /// <summary>
    /// Creates the store named <paramref name="kind"/>: "sqlite" uses <paramref name="connection"/> or
    /// &lt;dataDirectory&gt;/rdlicensing.db.
    /// </summary>
    public static ILicenseStore Create(string kind, string dataDirectory, string? connection) => kind.Trim().ToLowerInvariant() switch
    {
        "sqlite" => new SqliteLicenseStore(connection ?? SqliteLicenseStore.ConnectionStringFor(Path.Combine(dataDirectory, "rdlicensing.db"))),
        "postgres" => throw new NotSupportedException("the postgres store is not part of this build yet; use --store sqlite"),
        _ => throw new ArgumentException($"unknown store '{kind}': expected sqlite or postgres", nameof(kind)),
    };
}
