namespace RdLicensing.Server.Tests;

/// <summary>
/// The server's randomness draws blocks from the OS generator and hands them out four bytes at a time: every value in
/// range, every value reachable, uniform (the rejection sampling), safe from several threads, and the BCL's argument rules.
/// </summary>
public sealed class CryptoRandomnessTests
{
    private readonly CryptoRandomness _random = new();

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(0, 32)]
    [InlineData(52, 90)]
    [InlineData(-5, 5)]
    [InlineData(0, 33)]
    public void Every_value_of_a_small_range_is_drawn_and_nothing_outside_it(int min, int max)
    {
        var seen = new HashSet<int>();
        for (int i = 0; i < 20_000; i++)
        {
            int value = _random.NextInt(min, max);
            Assert.InRange(value, min, max - 1);
            seen.Add(value);
        }

        Assert.Equal(max - min, seen.Count);
    }

    [Fact]
    public void The_extremes_of_int_are_ranges_like_any_other()
    {
        for (int i = 0; i < 1_000; i++)
        {
            Assert.Equal(int.MaxValue - 1, _random.NextInt(int.MaxValue - 1, int.MaxValue));
            Assert.InRange(_random.NextInt(int.MinValue, int.MinValue + 3), int.MinValue, int.MinValue + 2);
            Assert.InRange(_random.NextInt(int.MaxValue - 3, int.MaxValue), int.MaxValue - 3, int.MaxValue - 1);
        }

        // Both halves of the full range are drawn (the top bit is not lost to the mask).
        int negative = 0;
        for (int i = 0; i < 1_000; i++)
        {
            negative += _random.NextInt(int.MinValue, int.MaxValue) < 0 ? 1 : 0;
        }

        Assert.InRange(negative, 300, 700);
    }

    [Fact]
    public void Draws_are_uniform_over_a_range_that_is_not_a_power_of_two()
    {
        // 38 buckets (the permanent CAL lifetime's 52–89 days), 76,000 draws: chi-square with 37 degrees of freedom
        // stays under 90 unless the draw is biased (p ≈ 4e-6 for an unbiased source).
        const int buckets = 38;
        const int draws = 76_000;
        var counts = new int[buckets];
        for (int i = 0; i < draws; i++)
        {
            counts[_random.NextInt(52, 90) - 52]++;
        }

        double expected = (double)draws / buckets;
        double chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chiSquare < 90, $"chi-square {chiSquare:0.0} over {buckets} buckets: the draw is not uniform");
    }

    [Fact]
    public async Task Threads_drawing_at_once_each_stay_in_range()
    {
        Task<int>[] threads = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            var seen = new HashSet<int>();
            for (int i = 0; i < 10_000; i++)
            {
                int value = _random.NextInt(0, 36);
                Assert.InRange(value, 0, 35);
                seen.Add(value);
            }

            return seen.Count;
        }))];
        Assert.All(await Task.WhenAll(threads), distinct => Assert.Equal(36, distinct));
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(6, 5)]
    public void An_empty_or_inverted_range_is_refused(int min, int max) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _random.NextInt(min, max));
}
