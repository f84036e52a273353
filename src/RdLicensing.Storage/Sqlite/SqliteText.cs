using System.Globalization;
using RdLicensing.Domain;

namespace RdLicensing.Storage.Sqlite;

/// <summary>How values are spelled in the store: times as fixed-width UTC text (sortable), enums by their wire names.</summary>
internal static class SqliteText
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static object TimeOrNull(DateTimeOffset? time) => time is { } t ? Time(t) : DBNull.Value;

    public static DateTimeOffset ParseTime(string text) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc));

    public static T Enum<T>(string text)
        where T : struct, Enum =>
        WireNames.TryParse(text, out T value) ? value : throw new InvalidOperationException($"the store holds an unknown {typeof(T).Name} '{text}'");

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;
}
