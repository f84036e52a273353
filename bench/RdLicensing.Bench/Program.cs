using System.Globalization;
using RdLicensing.Bench;
using RdLicensing.Bench.Exchange;
using RdLicensing.Bench.Issuance;
using RdLicensing.Bench.Reports;
using RdLicensing.Bench.Storm;

// ./bench.sh [all] (README), or: dotnet run -c Release --project bench/RdLicensing.Bench -- all [--quick] [--pg CONNECTION] [--out docs/benchmarks.md]
// Benchmarks: all | sqlite | postgres | exchange | reports | storm (several may be given). --quick uses small counts to
// check the harness; its figures are not meant for docs. PostgreSQL: --pg or RDLIC_BENCH_PG (else "not measured").
if (args.Length > 0 && args[0] == ReportsBench.ChildVerb)
{
    return ReportsBench.Child(args[1..]);
}

var names = new List<string>();
bool quick = false;
string? pg = Environment.GetEnvironmentVariable("RDLIC_BENCH_PG");
string? output = null;
string? context = Environment.GetEnvironmentVariable("RDLIC_BENCH_CONTEXT");
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--pg": pg = args[++i]; break;
        case "--out": output = args[++i]; break;
        case "--context": context = args[++i]; break;
        default: names.Add(args[i]); break;
    }
}

string[] all = ["sqlite", "exchange", "reports", "storm", "postgres"];
if (names.Count == 0 || names.Contains("all"))
{
    names = [.. all];
}

if (names.FirstOrDefault(n => !all.Contains(n)) is { } unknown)
{
    Console.Error.WriteLine($"unknown benchmark '{unknown}'; use all, {string.Join(", ", all)}");
    return 2;
}

output ??= quick ? Path.Combine(Path.GetTempPath(), "rdlic-benchmarks-quick.md") : Path.Combine(RepositoryRoot(), "docs", "benchmarks.md");
// The servers the benchmarks start log warnings and errors only.
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

MachineState start = MachineState.Read();
Console.WriteLine($"{start.Cores} cores, load {start.LoadAverage}, {start.Runtime}{(quick ? ", QUICK counts" : "")}");
var sections = new List<Section>();
foreach (string name in all.Where(names.Contains))
{
    Console.WriteLine($"== {name} (load {MachineState.Load()})");
    Section section = name switch
    {
        "sqlite" => await IssuanceBench.SqliteAsync(quick, cancel.Token),
        "postgres" => await IssuanceBench.PostgresAsync(pg, quick, cancel.Token),
        "exchange" => ExchangeBench.Run(quick),
        "reports" => await ReportsBench.RunAsync(quick, cancel.Token),
        "storm" => await StormBench.RunAsync(quick, cancel.Token),
        _ => throw new InvalidOperationException(name),
    };
    section.Notes.Add($"Load average when this benchmark started: {MachineState.Load()}.");
    sections.Add(section);
}

MachineState end = MachineState.Read();
// The connection string may carry a password: the command line in the report names the option only.
string[] shown = [.. args.Select((a, i) => i > 0 && args[i - 1] == "--pg" ? "\"$RDLIC_BENCH_PG\"" : a)];
// bench.sh (README's command) says so; a direct run names dotnet run.
string command = (Environment.GetEnvironmentVariable("RDLIC_BENCH_VIA") == "bench.sh" ? "./bench.sh " : "dotnet run -c Release --project bench/RdLicensing.Bench -- ") + string.Join(' ', shown);
await File.WriteAllTextAsync(output, Report.Render(start, end, sections, command.TrimEnd(), context));
Console.WriteLine($"wrote {output}");
return 0;

static string RepositoryRoot()
{
    for (DirectoryInfo? d = new(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "RdLicensing.slnx")))
        {
            return d.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository (no RdLicensing.slnx above the current directory), or pass --out");
}
