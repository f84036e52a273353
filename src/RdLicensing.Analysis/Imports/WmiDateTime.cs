using System.Globalization;

namespace RdLicensing.Analysis.Imports;

/// <summary>How to read a date whose day and month are both written as numbers separated by '/'.</summary>
public enum DateOrder
{
    /// <summary>M/d/yyyy, as en-US PowerShell writes it (the default).</summary>
    MonthFirst,

    /// <summary>d/M/yyyy, as en-GB, fr-FR and most other cultures write it.</summary>
    DayFirst,
}

/// <summary>
/// Date and time values as Windows exports them: the WMI/CIM DMTF text form (CIM_DATETIME,
/// <c>yyyymmddHHMMSS.mmmmmmsUUU</c>, UUU the offset from UTC in minutes) that <c>Get-WmiObject</c> leaves in the CSV, and
/// the culture text (<c>3/14/2025 9:30:12 AM</c>) that <c>Get-CimInstance</c> objects turn into under Export-Csv.
/// </summary>
public static class WmiDateTime
{
    private const int DmtfLength = 25; // 14 digits + '.' + 6 digits + sign + 3 digits

    private static readonly string[] MonthFirstFormats =
    [
        "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy",
    ];

    private static readonly string[] DayFirstFormats =
    [
        "d/M/yyyy H:mm:ss", "d/M/yyyy H:mm", "d/M/yyyy h:mm:ss tt", "d/M/yyyy", 
    ];

    private static readonly string[] OtherFormats =
    [
        "d.M.yyyy H:mm:ss", "d.M.yyyy H:mm", "d.M.yyyy", "d-M-yyyy H:mm:ss",
        "yyyy-MM-dd H:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
        "yyyy/MM/dd H:mm:ss", "yyyy/M/d H:mm:ss",
    ];

    /// <summary>Formats <paramref name="value"/> as WMI's DMTF text, keeping its UTC offset (in whole minutes).</summary>
    public static string ToDmtf(DateTimeOffset value)
    {
        int minutes = (int)value.Offset.TotalMinutes;
        char sign = minutes < 0 ? '-' : '+';
        long micro = value.Ticks % TimeSpan.TicksPerSecond / 10;
        return string.Create(CultureInfo.InvariantCulture,
            $"{value:yyyyMMddHHmmss}.{micro:000000}{sign}{Math.Abs(minutes):000}");
    }

    /// <summary>
    /// Parses a DMTF datetime or a culture datetime. Culture datetimes carry no offset: <paramref name="assumedOffset"/> is
    /// theirs (the offset of the machine that exported them; UTC when unknown). Returns false with a reason when the text is
    /// not a date.
    /// </summary>
    public static bool TryParse(string text, DateOrder order, TimeSpan assumedOffset, out DateTimeOffset value, out string? reason)
    {
        value = default;
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            reason = "empty date";
            return false;
        }

        if (LooksLikeDmtf(trimmed))
        {
            return TryParseDmtf(trimmed, out value, out reason);
        }

        reason = null;
        if (TryParseExact(trimmed, order == DateOrder.MonthFirst ? MonthFirstFormats : DayFirstFormats, assumedOffset, out value)
            || TryParseExact(trimmed, OtherFormats, assumedOffset, out value))
        {
            return true;
        }

        if (DateTimeOffset.TryParseExact(trimmed, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        reason = $"'{Shorten(trimmed)}' is neither a WMI datetime (yyyymmddHHMMSS.mmmmmm+UUU) nor a date PowerShell writes";
        return false;
    }

    private static bool LooksLikeDmtf(string text) =>
        text.Length >= 15 && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[7]) && text[8] != '/' && text[8] != '.'
        && text[8] != '-' && text.Contains('.', StringComparison.Ordinal) && text.IndexOf('.', StringComparison.Ordinal) == 14;

    private static bool TryParseDmtf(string text, out DateTimeOffset value, out string? reason)
    {
        value = default;
        if (text.Length != DmtfLength || (text[21] != '+' && text[21] != '-'))
        {
            reason = $"'{Shorten(text)}' is not a WMI datetime: expected yyyymmddHHMMSS.mmmmmm+UUU (25 characters)";
            return false;
        }

        for (int i = 0; i < DmtfLength; i++)
        {
            if (i != 14 && i != 21 && !char.IsAsciiDigit(text[i]))
            {
                reason = $"'{text}' is not a WMI datetime: '{text[i]}' at position {i + 1}";
                return false;
            }
        }

        int year = Digits(text, 0, 4), month = Digits(text, 4, 2), day = Digits(text, 6, 2);
        int hour = Digits(text, 8, 2), minute = Digits(text, 10, 2), second = Digits(text, 12, 2);
        int micro = Digits(text, 15, 6), offset = Digits(text, 22, 3) * (text[21] == '-' ? -1 : 1);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            reason = $"'{text}' is not a valid date and time";
            return false;
        }

        if (Math.Abs(offset) > 14 * 60)
        {
            reason = $"'{text}' has a UTC offset of {offset} minutes, more than 14 hours";
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(micro * 10L);
        value = new DateTimeOffset(local, TimeSpan.FromMinutes(offset));
        reason = null;
        return true;
    }

    private static bool TryParseExact(string text, string[] formats, TimeSpan offset, out DateTimeOffset value)
    {
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out DateTime local))
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
            return true;
        }

        value = default;
        return false;
    }

    private static int Digits(string text, int start, int count)
    {
        int result = 0;
        for (int i = start; i < start + count; i++)
        {
            result = (result * 10) + (text[i] - '0');
        }

        return result;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
