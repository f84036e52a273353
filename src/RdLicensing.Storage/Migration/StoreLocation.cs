using RdLicensing.Storage.Postgres;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Storage.Migration;

/// <summary>
/// Where a store is, as <c>rdlic store migrate</c> spells it: <c>sqlite:PATH</c> (a database file) or
/// <c>postgres:CONNECTION</c> (an Npgsql connection string).
/// </summary>
public sealed record StoreLocation
{
    private StoreLocation(string kind, string connectionString, string display, string? filePath = null)
    {
        Kind = kind;
        FilePath = filePath;
        ConnectionString = connectionString;
        Display = display;
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Kind { get; }

    /// <summary>The provider connection string (SQLite: built from the path).</summary>
    public string ConnectionString { get; }

    /// <summary>The database file of a SQLite store; null for PostgreSQL.</summary>
    public string? FilePath { get; }

    /// <summary>The location without credentials, for messages.</summary>
    public string Display { get; }

    /// <summary>A SQLite database file.</summary>
    public static StoreLocation Sqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        return new StoreLocation("sqlite", SqliteLicenseStore.ConnectionStringFor(full), "sqlite:" + full, full);
    }

    /// <summary>A PostgreSQL database.</summary>
    public static StoreLocation Postgres(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Npgsql.NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException($"the postgres connection string is not valid: {exception.Message}", exception);
        }

        return new StoreLocation("postgres", connectionString, $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}");
    }

    /// <summary>Parses <c>sqlite:PATH</c> or <c>postgres:CONNECTION</c>; throws <see cref="FormatException"/> otherwise.</summary>
    public static StoreLocation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? "" : text[..colon].Trim().ToLowerInvariant();
        string rest = colon < 0 ? "" : text[(colon + 1)..].Trim();
        return kind switch
        {
            "sqlite" when rest.Length > 0 => Sqlite(rest),
            "postgres" or "postgresql" when rest.Length > 0 => Postgres(rest),
            _ => throw new FormatException($"'{text}' is not sqlite:PATH or postgres:CONNECTION-STRING"),
        };
    }

    /// <summary>Opens the store (not yet initialized).</summary>
    public ILicenseStore Open() => Kind == "sqlite" ? new SqliteLicenseStore(ConnectionString) : new PostgresLicenseStore(ConnectionString);

    public override string ToString() => Display;
}
