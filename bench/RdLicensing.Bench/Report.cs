using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RdLicensing.Bench;

/// <summary>One measured figure beside its ceiling (measured in the same run), and the target it is held to.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Value">The figure; null when not measured.</param>
/// <param name="Unit">Its unit ("req/s", "s", "MiB", …).</param>
/// <param name="Ceiling">The ceiling it is compared with, in the same unit; null when the figure has no ceiling.</param>
/// <param name="CeilingName">What the ceiling is.</param>
/// <param name="Target">The target, in words ("≥ 50% of ceiling").</param>
/// <param name="Pass">Whether the target held; null when there is no target or nothing was measured.</param>
/// <param name="Note">Anything the reader needs beside the number.</param>
internal sealed record Figure(
    string Name,
    double? Value,
    string Unit,
    double? Ceiling = null,
    string? CeilingName = null,
    string? Target = null,
    bool? Pass = null,
    string? Note = null)
{
    public double? Ratio => Value is { } v && Ceiling is { } c && c > 0 ? v / c : null;
}

/// <summary>One benchmark's section of docs/benchmarks.md.</summary>
internal sealed class Section(string title, string what)
{
    public string Title { get; } = title;

    public string What { get; } = what;

    public List<Figure> Figures { get; } = [];

    public List<string> Notes { get; } = [];

    public string? NotMeasured { get; set; }

    public Figure Add(Figure figure)
    {
        Figures.Add(figure);
        Console.WriteLine($"  {figure.Name}: {Report.Number(figure.Value)} {figure.Unit}" +
            (figure.Ceiling is { } c ? $" (ceiling {Report.Number(c)}, ratio {Report.Percent(figure.Ratio)})" : "") +
            (figure.Pass is { } p ? (p ? " PASS" : " MISS") : ""));
        return figure;
    }
}

/// <summary>The machine the run happened on, read at the start and the end of the run.</summary>
internal sealed record MachineState(int Cores, string CpuModel, long MemoryMiB, string Os, string Runtime, string LoadAverage, DateTimeOffset Time)
{
    public static MachineState Read()
    {
        string cpu = "unknown";
        long memory = 0;
        string load = "n/a";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            string? total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            memory = total is null ? 0 : long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return new MachineState(Environment.ProcessorCount, cpu, memory, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, load, DateTimeOffset.UtcNow);
    }

    public static string Load()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}

/// <summary>Writes docs/benchmarks.md.</summary>
internal static class Report
{
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string Number(double? value) => value switch
    {
        null => "—",
        >= 100 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("N1", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    public static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Render(MachineState start, MachineState end, IReadOnlyList<Section> sections, string command, string? context)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine($"Written by `{command}` (bench/RdLicensing.Bench). Every figure sits beside a ceiling measured in the same");
        md.AppendLine("run on the same machine: a bare loop that does only the part of the work nothing can avoid. Regenerate with the");
        md.AppendLine("command above; numbers from a busy machine are noisy, so read the load averages beside them.");
        md.AppendLine();
        md.AppendLine("## Machine");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine($"| date (UTC) | {start.Time:yyyy-MM-dd HH:mm} – {end.Time:HH:mm} |");
        md.AppendLine($"| cores | {start.Cores} ({start.CpuModel}) |");
        md.AppendLine($"| memory | {start.MemoryMiB:N0} MiB |");
        md.AppendLine($"| OS | {start.Os} |");
        md.AppendLine($"| .NET | {start.Runtime} |");
        md.AppendLine($"| load average (1, 5, 15 min) | at start {start.LoadAverage}; at end {end.LoadAverage} |");
        if (context is not null)
        {
            md.AppendLine($"| context | {context} |");
        }

        md.AppendLine();
        md.AppendLine("## Summary");
        md.AppendLine();
        md.AppendLine("| benchmark | figure | ceiling | ratio | target | result |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (Section section in sections)
        {
            if (section.NotMeasured is not null)
            {
                md.AppendLine($"| {section.Title} | not measured | | | | {section.NotMeasured} |");
                continue;
            }

            foreach (Figure f in section.Figures.Where(f => f.Target is not null))
            {
                md.AppendLine($"| {section.Title}: {f.Name} | {Number(f.Value)} {f.Unit} | {(f.Ceiling is { } c ? $"{Number(c)} {f.Unit}" : "")} | {Percent(f.Ratio)} | {f.Target} | {(f.Pass is { } p ? (p ? "pass" : "**miss**") : "")} |");
            }
        }

        foreach (Section section in sections)
        {
            md.AppendLine();
            md.AppendLine($"## {section.Title}");
            md.AppendLine();
            md.AppendLine(section.What);
            md.AppendLine();
            if (section.NotMeasured is not null)
            {
                md.AppendLine($"**Not measured:** {section.NotMeasured}");
            }
            else
            {
                md.AppendLine("| figure | value | ceiling | ratio | target | result | note |");
                md.AppendLine("|---|---|---|---|---|---|---|");
                foreach (Figure f in section.Figures)
                {
                    md.AppendLine($"| {f.Name} | {Number(f.Value)} {f.Unit} | {(f.Ceiling is { } c ? $"{Number(c)} {f.Unit} ({f.CeilingName})" : "")} | {Percent(f.Ratio)} | {f.Target} | {(f.Pass is { } p ? (p ? "pass" : "**miss**") : "")} | {f.Note} |");
                }
            }

            if (section.Notes.Count > 0)
            {
                md.AppendLine();
                foreach (string note in section.Notes)
                {
                    md.AppendLine($"- {note}");
                }
            }
        }

        return md.ToString();
    }
}

/// <summary>Latencies of one run, in Stopwatch ticks, and their percentiles in milliseconds.</summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = [];
    private readonly Lock _lock = new();

    public int Count => _ticks.Count;

    /// <summary>Adds every latency of <paramref name="other"/>.</summary>
    public void AddRange(Latencies other)
    {
        ArgumentNullException.ThrowIfNull(other);
        long[] copy;
        lock (other._lock)
        {
            copy = [.. other._ticks];
        }

        AddRange(copy);
    }

    public void AddRange(IEnumerable<long> ticks)
    {
        lock (_lock)
        {
            _ticks.AddRange(ticks);
        }
    }

    public double PercentileMs(double p)
    {
        if (_ticks.Count == 0)
        {
            return double.NaN;
        }

        long[] sorted = [.. _ticks];
        Array.Sort(sorted);
        int index = Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index] * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
    }
}
