using System.Text.Json;

namespace RdLicensing.Client;

/// <summary>
/// RFC 9457 problem details as received from the license server. The standard members are typed; validation problems'
/// <c>errors</c> is a field → messages dictionary; every other member is kept in <see cref="Extensions"/>.
/// </summary>
public sealed class ProblemDetailsData
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> s_noErrors =
        new Dictionary<string, IReadOnlyList<string>>();

    private static readonly IReadOnlyDictionary<string, JsonElement> s_noExtensions = new Dictionary<string, JsonElement>();

    /// <summary>A problem with no members (the server sent no problem document).</summary>
    public static ProblemDetailsData Empty { get; } = new();

    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? Instance { get; init; }

    /// <summary>Validation errors by field; empty unless the problem is a validation problem.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; init; } = s_noErrors;

    /// <summary>Members other than type, title, status, detail, instance and errors.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; init; } = s_noExtensions;

    /// <summary>An extension member as a string, or null when absent or not a string/number.</summary>
    public string? GetExtensionString(string name) =>
        Extensions.TryGetValue(name, out JsonElement value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Parses a problem document; a body that is not a JSON object gives a problem whose detail is the text.</summary>
    public static ProblemDetailsData Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return Empty;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new ProblemDetailsData { Detail = Truncate(body) };
            }

            string? type = null, title = null, detail = null, instance = null;
            int? status = null;
            var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
            var extensions = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                switch (property.Name.ToLowerInvariant())
                {
                    case "type":
                        type = AsString(property.Value);
                        break;
                    case "title":
                        title = AsString(property.Value);
                        break;
                    case "detail":
                        detail = AsString(property.Value);
                        break;
                    case "instance":
                        instance = AsString(property.Value);
                        break;
                    case "status" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out int s):
                        status = s;
                        break;
                    case "errors" when property.Value.ValueKind == JsonValueKind.Object:
                        foreach (JsonProperty field in property.Value.EnumerateObject())
                        {
                            errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                                ? field.Value.EnumerateArray().Select(m => AsString(m) ?? m.GetRawText()).ToArray()
                                : [AsString(field.Value) ?? field.Value.GetRawText()];
                        }

                        break;
                    default:
                        extensions[property.Name] = property.Value.Clone();
                        break;
                }
            }

            return new ProblemDetailsData
            {
                Type = type,
                Title = title,
                Status = status,
                Detail = detail,
                Instance = instance,
                Errors = errors,
                Extensions = extensions,
            };
        }
        catch (JsonException)
        {
            return new ProblemDetailsData { Detail = Truncate(body) };
        }

        static string? AsString(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

        static string Truncate(string text) => text.Length <= 500 ? text.Trim() : text[..500].Trim() + "…";
    }
}
