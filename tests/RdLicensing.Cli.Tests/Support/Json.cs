using System.Text.Json;

namespace RdLicensing.Cli.Tests.Support;

/// <summary>Reading <c>--json</c> output.</summary>
public static class Json
{
    /// <summary>Parses stdout of a successful run (fails the test with the whole run when it is not JSON).</summary>
    public static JsonElement Parse(RdlicResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        try
        {
            using JsonDocument document = JsonDocument.Parse(result.StdOut);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            Assert.Fail($"stdout is not JSON ({ex.Message}):\n{result}");
            throw;
        }
    }

    public static string Str(this JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new Xunit.Sdk.XunitException($"no string member '{name}' in {element}");

    public static int Int(this JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt32()
            : throw new Xunit.Sdk.XunitException($"no number member '{name}' in {element}");
}

/// <summary>Test data.</summary>
public static class Devices
{
    /// <summary>A distinct 40-hex-digit hardware id for device <paramref name="n"/> (PlatformId 2, then n).</summary>
    public static string Hwid(int n, int salt = 0) => "02000000" + salt.ToString("X8", System.Globalization.CultureInfo.InvariantCulture) + n.ToString("X24", System.Globalization.CultureInfo.InvariantCulture);
}
