using RdLicensing.Analysis.Imports;

namespace RdLicensing.Analysis.Tests;

public sealed class WmiDateTimeTests
{
    [Theory]
    [InlineData("20250314093012.000000-000", "2025-03-14T09:30:12+00:00")]
    [InlineData("20250314093012.500000+060", "2025-03-14T09:30:12.5+01:00")]
    [InlineData("20250314093012.000000-300", "2025-03-14T09:30:12-05:00")]
    [InlineData("3/14/2025 9:30:12 AM", "2025-03-14T09:30:12+00:00")]
    [InlineData("3/14/2025 9:30:12 PM", "2025-03-14T21:30:12+00:00")]
    [InlineData("14.03.2025 09:30:12", "2025-03-14T09:30:12+00:00")]
    [InlineData("2025-03-14 09:30:12", "2025-03-14T09:30:12+00:00")]
    public void Parses_dmtf_and_powershell_dates(string text, string expected)
    {
        Assert.True(WmiDateTime.TryParse(text, DateOrder.MonthFirst, TimeSpan.Zero, out DateTimeOffset value, out string? reason), reason);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, value.Offset);
    }

    [Fact]
    public void Day_first_order_reads_european_slash_dates()
    {
        Assert.True(WmiDateTime.TryParse("14/03/2025 09:30:12", DateOrder.DayFirst, TimeSpan.FromHours(1), out DateTimeOffset value, out _));

        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 30, 12, TimeSpan.FromHours(1)), value);
        Assert.False(WmiDateTime.TryParse("14/03/2025 09:30:12", DateOrder.MonthFirst, TimeSpan.Zero, out _, out _));
    }

    [Theory]
    [InlineData("20251314093012.000000-000")]
    [InlineData("20250230093012.000000-000")]
    [InlineData("20250314093012.000000")]
    [InlineData("20250314093012.000000+999")]
    [InlineData("2025031409301x.000000-000")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void Rejects_what_is_not_a_date(string text)
    {
        Assert.False(WmiDateTime.TryParse(text, DateOrder.MonthFirst, TimeSpan.Zero, out _, out string? reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void Dmtf_round_trips()
    {
        var value = new DateTimeOffset(2025, 3, 14, 9, 30, 12, TimeSpan.FromMinutes(-300)).AddTicks(1234560);

        string text = WmiDateTime.ToDmtf(value);

        Assert.Equal("20250314093012.123456-300", text);
        Assert.True(WmiDateTime.TryParse(text, DateOrder.MonthFirst, TimeSpan.Zero, out DateTimeOffset back, out _));
        Assert.Equal(value, back);
    }
}
