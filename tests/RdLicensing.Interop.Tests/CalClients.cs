using System.Security.Cryptography;
using System.Text;

namespace RdLicensing.Interop.Tests;

/// <summary>How the real clients are run against a listener, and where they keep their CALs (rdpele.md sections 2, 3).</summary>
internal static class CalClients
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(25);

    /// <summary>rdesktop's store key for "testclient": SHA1(hostname NUL-padded to 16 bytes + its static salt).</summary>
    public const string RdesktopCalName = "196507780bf2e0cee8e0c3b77b59e18bb8122caf.cal";

    public static Task<ClientProcess.Result> RunAsync(
        string client, bool standardRdpSecurity, int port, string home, XvfbDisplay display, CancellationToken ct, string clientName = "fclient") =>
        client == "rdesktop"
            ? ClientProcess.RunAsync("rdesktop", ["-u", "alice", "-n", "testclient", $"127.0.0.1:{port}"], home, display, "yes\n", Limit, ct)
            : ClientProcess.RunAsync(
                "xfreerdp",
                [$"/v:127.0.0.1:{port}", "/u:alice", "/p:x", "/cert:ignore", standardRdpSecurity ? "/sec:rdp" : "/sec:tls", $"/client-hostname:{clientName}", "-auto-reconnect"],
                home,
                display,
                null,
                Limit,
                ct);

    public static string MachineName(string client) => client == "rdesktop" ? "testclient" : "fclient";

    /// <summary>rdesktop: u32 2 then the hostname NUL-padded to 16 bytes; FreeRDP: 0x04010000 then MD5(hostname).</summary>
    public static byte[] HardwareId(string client, string freerdpName = "fclient") => client == "rdesktop"
        ? [2, 0, 0, 0, .. Encoding.ASCII.GetBytes("testclient"), .. new byte[6]]
        : [0x00, 0x00, 0x01, 0x04, .. MD5.HashData(Encoding.ASCII.GetBytes(freerdpName))];

    public static string CalDirectory(string client, string home) => client == "rdesktop"
        ? Path.Combine(home, ".local", "share", "rdesktop", "licenses")
        : Path.Combine(home, ".config", "freerdp", "licenses");

    /// <summary>FreeRDP's file for a client hostname: SHA1(hostname) in hex.</summary>
    public static string FreerdpCalPath(string home, string clientName) =>
        Path.Combine(CalDirectory("xfreerdp", home), Convert.ToHexString(SHA1.HashData(Encoding.ASCII.GetBytes(clientName))).ToLowerInvariant() + ".cal");

    public static string[] CalFiles(string client, string home)
    {
        string directory = CalDirectory(client, home);
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*.cal") : [];
    }
}
