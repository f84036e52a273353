using System.CommandLine;
using System.CommandLine.Parsing;
using RdLicensing.Domain;

namespace RdLicensing.Cli;

/// <summary>
/// Factories for options that several verbs share, each validated at parse time so that bad values are refused before
/// any request, with a message that names the option. Values are normalized with <see cref="Normalize"/> helpers.
/// </summary>
internal static class CliOptions
{
    /// <summary><c>--json</c>: print exactly the JSON result on stdout.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON (for scripts)" };

    /// <summary>A product version option ("2008R2" … "2025").</summary>
    public static Option<string> ProductVersion(string name, string description, bool required)
    {
        var option = new Option<string>(name) { Description = description + $" ({VersionList})", Required = required };
        option.Validators.Add(result =>
        {
            string? value = CliOptions.TryGetValue(result, out string? text) ? text : null;
            if (value is not null && !ProductVersions.TryParse(value, out _))
            {
                result.AddError($"{name}: unknown product version '{value}' (expected one of {VersionList})");
            }
        });
        return option;
    }

    /// <summary>An option whose value is one of the kebab-case spellings of <typeparamref name="TEnum"/> (<see cref="WireNames"/>).</summary>
    public static Option<string> OneOf<TEnum>(string name, string description, bool required, params TEnum[] allowed)
        where TEnum : struct, Enum
    {
        TEnum[] choices = allowed.Length > 0 ? allowed : Enum.GetValues<TEnum>();
        string list = string.Join(", ", choices.Select(c => WireName(c)));
        var option = new Option<string>(name) { Description = $"{description} ({list})", Required = required };
        option.Validators.Add(result =>
        {
            string? value = CliOptions.TryGetValue(result, out string? text) ? text : null;
            if (value is not null && (!WireNames.TryParse(value, out TEnum parsed) || !choices.Contains(parsed)))
            {
                result.AddError($"{name}: '{value}' is not valid (expected one of {list})");
            }
        });
        return option;
    }

    /// <summary>An option whose value is one of <paramref name="choices"/> (case-insensitive; the choice's spelling is kept).</summary>
    public static Option<string> Choice(string name, string description, bool required, params string[] choices)
    {
        string list = string.Join(", ", choices);
        var option = new Option<string>(name) { Description = $"{description} ({list})", Required = required };
        option.Validators.Add(result =>
        {
            string? value = CliOptions.TryGetValue(result, out string? text) ? text : null;
            if (value is not null && !choices.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"{name}: '{value}' is not valid (expected one of {list})");
            }
        });
        return option;
    }

    /// <summary>The spelling in <paramref name="choices"/> of a validated <see cref="Choice"/> value (null stays null).</summary>
    public static string? NormalizeChoice(string? value, params string[] choices) =>
        value is null ? null : choices.First(c => string.Equals(c, value.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>A client hardware id: 40 hex digits (dashes and spaces allowed).</summary>
    public static Option<string> Hwid(string name, string description, bool required)
    {
        var option = new Option<string>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            string? value = CliOptions.TryGetValue(result, out string? text) ? text : null;
            if (value is not null && !HardwareId.TryParse(value, out _))
            {
                result.AddError($"{name}: '{value}' is not a hardware id (expected {HardwareId.Size * 2} hex digits)");
            }
        });
        return option;
    }

    /// <summary>A whole number that must be at least <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(string name, string description, int minimum, bool required)
    {
        var option = new Option<int>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && TryGetValue(result, out int value) && value < minimum)
            {
                result.AddError($"{name}: must be {minimum} or more, got {value}");
            }
        });
        return option;
    }

    /// <summary>An integer option that must lie in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<int> Between(string name, string description, int minimum, int maximum, bool required)
    {
        Option<int> option = AtLeast(name, description, minimum, required);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && TryGetValue(result, out int value) && value > maximum)
            {
                result.AddError($"{name}: must be {maximum} or less, got {value}");
            }
        });
        return option;
    }

    /// <summary>A non-empty text option (whitespace-only values are refused).</summary>
    public static Option<string> Text(string name, string description, bool required)
    {
        var option = new Option<string>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            string? value = CliOptions.TryGetValue(result, out string? text) ? text : null;
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                result.AddError($"{name}: must not be empty");
            }
        });
        return option;
    }

    /// <summary>A required, non-empty positional argument.</summary>
    public static Argument<string> Name(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(result =>
        {
            string? value = CliOptions.TryGetValue(result, out string? text) ? text : null;
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                result.AddError($"{name}: must not be empty");
            }
        });
        return argument;
    }

    /// <summary>
    /// The value of an option in a validator, or false when it did not convert (System.CommandLine has already recorded
    /// that error, naming the option; reading the value would throw).
    /// </summary>
    public static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <inheritdoc cref="TryGetValue{T}(OptionResult, out T)"/>
    public static bool TryGetValue<T>(ArgumentResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>The API spelling of a validated version option value (null stays null).</summary>
    public static string? NormalizeVersion(string? value) => value is null ? null : ProductVersions.Parse(value).Key;

    /// <summary>The API spelling of a validated enum option value (null stays null).</summary>
    public static string? Normalize<TEnum>(string? value)
        where TEnum : struct, Enum => value is null ? null : WireNames.TryParse(value, out TEnum parsed) ? WireName(parsed) : value;

    /// <summary>The canonical text of a validated hardware id (40 upper-case hex digits; null stays null).</summary>
    public static string? NormalizeHwid(string? value) => value is null ? null : HardwareId.Parse(value).ToString();

    private static string VersionList => string.Join(", ", ProductVersions.All.Select(v => v.Key));

    private static string WireName<TEnum>(TEnum value)
        where TEnum : struct, Enum => value switch
        {
            CalType v => WireNames.Of(v),
            LicenseStatus v => WireNames.Of(v),
            LicensingMode v => WireNames.Of(v),
            ActivationState v => WireNames.Of(v),
            ActivationMethod v => WireNames.Of(v),
            DiscoveryScope v => WireNames.Of(v),
            LicenseProgram v => WireNames.Of(v),
            _ => value.ToString().ToLowerInvariant(),
        };
}
