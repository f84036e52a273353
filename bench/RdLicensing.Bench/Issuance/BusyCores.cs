using System.Diagnostics;

namespace RdLicensing.Bench.Issuance;

/// <summary>
/// Keeps every core busy with the lowest-priority work there is: one <c>nice -n 19</c> shell loop per core, as child
/// processes that are killed on dispose. A thread of normal priority still gets nearly all of a core when it wants one
/// (weight 1024 against 15), so a bare loop run meanwhile measures what the disk does while the CPUs are busy, which on
/// a virtual machine is not what it does while they idle (the host's side of the I/O shares the host's CPUs). Each loop
/// also ends by itself after <see cref="MaxLifetimeSeconds"/> (coreutils <c>timeout</c>), so a bench killed outright
/// leaves nothing spinning.
/// </summary>
internal sealed class BusyCores : IAsyncDisposable
{
    /// <summary>The longest a loop runs even if nobody stops it; one measured slice takes a few seconds.</summary>
    public const int MaxLifetimeSeconds = 120;

    private readonly List<Process> _processes;

    private BusyCores(List<Process> processes)
    {
        _processes = processes;
    }

    /// <summary>Starts <paramref name="count"/> loops; null where <c>nice</c>, <c>timeout</c> and <c>sh</c> are not there (not Linux).</summary>
    public static BusyCores? TryStart(int count)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/nice") || !File.Exists("/usr/bin/timeout") || !File.Exists("/bin/sh"))
        {
            return null;
        }

        var processes = new List<Process>(count);
        var busy = new BusyCores(processes);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var start = new ProcessStartInfo("/usr/bin/nice") { UseShellExecute = false };
                foreach (string argument in (string[])["-n", "19", "/usr/bin/timeout", $"{MaxLifetimeSeconds}", "/bin/sh", "-c", "while :; do :; done"])
                {
                    start.ArgumentList.Add(argument);
                }

                processes.Add(Process.Start(start) ?? throw new InvalidOperationException("could not start a busy loop"));
            }
        }
        catch
        {
            // The loops already started are stopped before the failure goes on.
            busy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return busy;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Process process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            finally
            {
                process.Dispose();
            }
        }
    }
}
