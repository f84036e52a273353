using RdLicensing.Domain;

namespace RdLicensing.Storage;

/// <summary>
/// The WHERE clause of a <see cref="LicenseQuery"/> (GET /api/licenses), the same for both stores: <c>@name</c> parameters
/// and their text values (names without the <c>@</c>); only how a LIKE escapes differs, and the caller says it.
/// </summary>
internal sealed record LicenseFilter(string Where, IReadOnlyList<(string Name, string Value)> Parameters)
{
    /// <summary>The filter of <paramref name="query"/>; <paramref name="likeSuffix"/> follows each LIKE pattern (PostgreSQL: " ESCAPE ''").</summary>
    public static LicenseFilter Of(LicenseQuery query, string likeSuffix = "")
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        var parameters = new List<(string Name, string Value)>();
        void Add(string clause, string name, string value)
        {
            where.Add(clause);
            parameters.Add((name, value));
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
            // A backslash is an ordinary character (SQLite's LIKE has no escape; PostgreSQL's is turned off by the suffix);
            // % and _ are dropped from the search text, so it only ever matches itself.
            Add(
                $"(lower(license_id) LIKE @search{likeSuffix} OR lower(machine) LIKE @search{likeSuffix} OR user_key LIKE @search{likeSuffix} OR lower(hwid) LIKE @search{likeSuffix})",
                "search",
                "%" + query.Search.Trim().ToLowerInvariant().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%");
        }

        return new LicenseFilter(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where), parameters);
    }

    /// <summary>How both stores key a per-user CAL's user: trimmed, lower case (user names compare case-insensitively).</summary>
    public static string UserKey(string user) => user.Trim().ToLowerInvariant();
}
