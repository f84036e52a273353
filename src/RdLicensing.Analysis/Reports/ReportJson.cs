using System.Text.Json;
using System.Text.Json.Serialization;

namespace RdLicensing.Analysis.Reports;

/// <summary>The JSON form of reports and analyses (camelCase, nulls left out, indented), written to a stream the caller opened.</summary>
public static class ReportJson
{
    /// <summary>The serializer options every report uses.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Writes <paramref name="value"/> as JSON to <paramref name="stream"/>.</summary>
    public static void Write<T>(Stream stream, T value)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, value, Options);
    }

    internal static Utf8JsonWriter CreateWriter(Stream stream) => new(stream, new JsonWriterOptions { Indented = true });
}
