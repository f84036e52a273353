using RdLicensing.Storage.Postgres;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage;

/// <summary>Opens a store by kind name, as `rdlic serve --store` spells it.</summary>
public static class LicenseStores
{
    /// <summary>
    /// Creates the store named <paramref name="kind"/>: "sqlite" uses <paramref name="connection"/> or
    /// &lt;dataDirectory&gt;/rdlicensing.db; "postgres" needs <paramref name="connection"/>, an Npgsql connection string
    /// (several license-server nodes may share its database).
    /// </summary>
    public static ILicenseStore Create(string kind, string dataDirectory, string? connection) => kind.Trim().ToLowerInvariant() switch
    {
        "sqlite" => new SqliteLicenseStore(connection ?? SqliteLicenseStore.ConnectionStringFor(Path.Combine(dataDirectory, "rdlicensing.db"))),
        "postgres" => new PostgresLicenseStore(
            string.IsNullOrWhiteSpace(connection)
                ? throw new ArgumentException("the postgres store needs a connection string (e.g. \"Host=127.0.0.1;Username=rdlic;Password=…;Database=rdlic\")", nameof(connection))
                : connection),
        _ => throw new ArgumentException($"unknown store '{kind}': expected sqlite or postgres", nameof(kind)),
    };
}
