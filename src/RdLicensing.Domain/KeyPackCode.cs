using System.Text;

namespace RdLicensing.Domain;

/// <summary>
/// The code an admin types when installing a key pack, validated per license program (rds-facts.md sections 5 and 9;
/// Win32_TSLicenseKeyPack Install* methods). Accepted forms (case-insensitive, surrounding spaces ignored), normalized to
/// upper case:
/// <list type="bullet">
/// <item>retail: the 25-character product key, five groups of 5 letters/digits, "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
/// (also accepted without hyphens); normalized with hyphens.</item>
/// <item>select, enterprise, campus, school, services-provider, other: the 7-digit agreement or enrolment number.</item>
/// <item>open: the 8-digit license number and the 15-character authorization number (letters/digits), separated by
/// '/', ':', '-' or one space, e.g. "12345678/ABCDE12345FGHIJ"; normalized as "12345678/ABCDE12345FGHIJ".</item>
/// <item>any program: a 35-character license key pack id as the Clearinghouse web site or telephone operator gives it
/// (InstallLicenseKeyPack), 35 letters/digits, compact or as 7 hyphenated groups of 5; normalized as 7 groups.</item>
/// </list>
/// </summary>
public sealed record KeyPackCode
{
    private KeyPackCode(LicenseProgram program, string value, KeyPackCodeForm form)
    {
        Program = program;
        Value = value;
        Form = form;
    }

    public LicenseProgram Program { get; }

    /// <summary>INVARIANT: the normalized code, valid for <see cref="Program"/> in <see cref="Form"/>.</summary>
    public string Value { get; }

    public KeyPackCodeForm Form { get; }

    /// <summary>The code with every character but those of the last group replaced by '*', for listings.</summary>
    public string Masked
    {
        get
        {
            int last = Value.LastIndexOfAny(['-', '/']);
            int keep = last < 0 ? Math.Min(3, Value.Length) : Value.Length - last - 1;
            var builder = new StringBuilder(Value.Length);
            for (int i = 0; i < Value.Length; i++)
            {
                char c = Value[i];
                builder.Append(i >= Value.Length - keep || c is '-' or '/' ? c : '*');
            }

            return builder.ToString();
        }
    }

    /// <summary>Parses <paramref name="code"/> for <paramref name="program"/>; throws <see cref="LicensingException"/> on field "code".</summary>
    public static KeyPackCode Parse(LicenseProgram program, string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            throw LicensingException.Invalid("code", "the key pack code is required");
        }

        string text = code.Trim().ToUpperInvariant();
        if (CompactAlphanumerics(text, groups: 7, groupSize: 5) is { } keyPackId)
        {
            return new KeyPackCode(program, Group(keyPackId, 5), KeyPackCodeForm.KeyPackId);
        }

        switch (program)
        {
            case LicenseProgram.Retail:
                if (CompactAlphanumerics(text, groups: 5, groupSize: 5) is { } retail)
                {
                    return new KeyPackCode(program, Group(retail, 5), KeyPackCodeForm.RetailProductKey);
                }

                throw LicensingException.Invalid("code", $"a retail code is 25 letters or digits as five hyphenated groups of 5 (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX), got '{code}'");

            case LicenseProgram.Open:
                if (text.Length == 24 && text[8] is ('/' or ':' or '-' or ' ')
                    && text.AsSpan(0, 8).ContainsAnyExceptInRange('0', '9') is false
                    && IsAlphanumeric(text.AsSpan(9)))
                {
                    return new KeyPackCode(program, $"{text[..8]}/{text[9..]}", KeyPackCodeForm.OpenLicense);
                }

                throw LicensingException.Invalid("code", $"an open license code is the 8-digit license number and the 15-character authorization number, e.g. 12345678/ABCDE12345FGHIJ, got '{code}'");

            case LicenseProgram.Select:
            case LicenseProgram.Enterprise:
            case LicenseProgram.Campus:
            case LicenseProgram.School:
            case LicenseProgram.ServicesProvider:
            case LicenseProgram.Other:
                if (text.Length == 7 && !text.AsSpan().ContainsAnyExceptInRange('0', '9'))
                {
                    return new KeyPackCode(program, text, KeyPackCodeForm.AgreementNumber);
                }

                throw LicensingException.Invalid("code", $"a {WireNames.Of(program)} agreement or enrolment number is 7 digits, got '{code}'");

            default:
                throw LicensingException.Invalid("program", "unknown license program");
        }
    }

    /// <summary>
    /// Returns the upper-case compact form when <paramref name="text"/> is groups×groupSize letters/digits, either compact or
    /// as hyphenated groups; otherwise null.
    /// </summary>
    public static string? CompactAlphanumerics(string? text, int groups, int groupSize)
    {
        if (text is null)
        {
            return null;
        }

        string trimmed = text.Trim().ToUpperInvariant();
        int length = groups * groupSize;
        if (trimmed.Length == length + groups - 1)
        {
            for (int g = 1; g < groups; g++)
            {
                if (trimmed[(g * (groupSize + 1)) - 1] != '-')
                {
                    return null;
                }
            }

            trimmed = trimmed.Replace("-", "", StringComparison.Ordinal);
        }

        return trimmed.Length == length && IsAlphanumeric(trimmed) ? trimmed : null;
    }

    private static bool IsAlphanumeric(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return !text.IsEmpty;
    }

    private static string Group(string compact, int size) =>
        string.Join('-', Enumerable.Range(0, compact.Length / size).Select(i => compact.Substring(i * size, size)));
}

/// <summary>Which of the accepted forms a <see cref="KeyPackCode"/> was entered in.</summary>
public enum KeyPackCodeForm
{
    RetailProductKey = 1,
    AgreementNumber = 2,
    OpenLicense = 3,
    KeyPackId = 4,
}
